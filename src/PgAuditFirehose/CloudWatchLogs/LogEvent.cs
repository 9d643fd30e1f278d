namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>Where one log event's id and message sit in the envelope's buffer.</summary>
internal readonly record struct LogEvent(int IdStart, int IdLength, long? Timestamp, int MessageStart, int MessageLength);
