namespace PgAuditFirehose.Records;

/// <summary>Where an audit line came from: its record's source columns and the log event. Empty means unknown.</summary>
internal ref struct AuditSource
{
    public required RecordColumns Record;
    public ReadOnlySpan<byte> LogEventId;
    public long? LogEventTimestamp;
}
