namespace PgAuditFirehose.Records;

/// <summary>How audit records are written into each output record.</summary>
public enum OutputFormat
{
    /// <summary>Newline-delimited JSON, one object per audit line.</summary>
    Json,

    /// <summary>One escaped comma-separated line per audit line (see AuditCsvWriter).</summary>
    Csv,
}
