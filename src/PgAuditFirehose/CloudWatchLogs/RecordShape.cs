namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>What a Firehose record's decoded data turned out to be.</summary>
public enum RecordShape
{
    /// <summary>A gzip'd CloudWatch Logs envelope: the subscription filter's own output.</summary>
    GzipEnvelope,

    /// <summary>A plain JSON envelope: Firehose's Decompression processor ran first.</summary>
    JsonEnvelope,

    /// <summary>Message text only: Firehose's message extraction ran first; no metadata.</summary>
    RawText,
}
