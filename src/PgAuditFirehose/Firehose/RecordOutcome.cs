namespace PgAuditFirehose.Firehose;

/// <summary>What became of one Firehose record; <see cref="Output"/> holds an Ok record's data.</summary>
internal readonly record struct RecordOutcome(
    string Result,
    byte[] Output,
    KeyValuePair<string, string>[]? PartitionKeys,
    string? Error,
    LineCounts Lines)
{
    public static RecordOutcome Failed(string error, LineCounts lines = default) =>
        new(KinesisFirehoseResponse.TransformedStateProcessingFailed, [], null, error, lines);

    public static RecordOutcome Dropped(LineCounts lines = default) =>
        new(KinesisFirehoseResponse.TransformedStateDropped, [], null, null, lines);
}

/// <summary>How many log entries of a record were audit lines, other lines, and audit lines that failed to parse.</summary>
internal readonly record struct LineCounts(int AuditLines, int SkippedLines, int ParseFailures)
{
    public static LineCounts operator +(LineCounts a, LineCounts b) =>
        new(a.AuditLines + b.AuditLines, a.SkippedLines + b.SkippedLines, a.ParseFailures + b.ParseFailures);
}
