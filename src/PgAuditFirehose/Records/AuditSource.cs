namespace PgAuditFirehose.Records;

/// <summary>Where an audit line came from: its record's source columns and the log event. Empty means unknown.</summary>
internal ref struct AuditSource
{
    public required RecordColumns Record;
    public ReadOnlySpan<byte> LogEventId;
    public long? LogEventTimestamp;

    /// <summary>The timestamp's digits, when known (a writer may copy them rather than format the number).</summary>
    public ReadOnlySpan<byte> LogEventTimestampText;

    /// <summary>The event's id holds no '"', '\' or control character (a writer may copy it as it is).</summary>
    public bool PlainLogEventId;

    /// <summary>The same for the event's message, and so for every text an audit line takes from it.</summary>
    public bool PlainMessage;
}
