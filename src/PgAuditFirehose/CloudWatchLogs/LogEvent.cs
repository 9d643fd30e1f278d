namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>Where one log event's id and message sit in the envelope's buffer.</summary>
/// <param name="IdPlain">The id was written without an escape, so it holds no '"', '\' or control character.</param>
/// <param name="MessagePlain">The same for the message: then neither does any text taken from it.</param>
internal readonly record struct LogEvent(
    int IdStart, int IdLength, long? Timestamp, int MessageStart, int MessageLength, bool IdPlain = false, bool MessagePlain = false);
