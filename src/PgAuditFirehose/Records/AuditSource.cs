namespace PgAuditFirehose.Records;

/// <summary>Where an audit line came from: the envelope's metadata and the log event, as UTF-8. Empty means unknown.</summary>
internal ref struct AuditSource
{
    public ReadOnlySpan<byte> LogGroup;
    public ReadOnlySpan<byte> LogStream;
    public ReadOnlySpan<byte> AccountId;
    public ReadOnlySpan<byte> DbIdentifier;
    public ReadOnlySpan<byte> LogEventId;
    public long? LogEventTimestamp;
}
