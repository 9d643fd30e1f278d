using System.Runtime.CompilerServices;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// What became of one Firehose record; <see cref="Output"/> holds an Ok record's data, in an array
/// rented from the shared pool (<see cref="Rented"/>) that the batch returns once the response is written.
/// </summary>
internal readonly record struct RecordOutcome(
    string Result,
    ReadOnlyMemory<byte> Output,
    KeyValuePair<string, string>[]? PartitionKeys,
    string? Error,
    LineCounts Lines)
{
    public byte[]? Rented { get; init; }

    public static RecordOutcome Failed(string error, LineCounts lines = default) =>
        new(KinesisFirehoseResponse.TransformedStateProcessingFailed, default, null, error, lines);

    public static RecordOutcome Dropped(LineCounts lines = default) =>
        new(KinesisFirehoseResponse.TransformedStateDropped, default, null, null, lines);
}

/// <summary>
/// How many log entries of a record were audit lines, entries that became no record (and joined none), and
/// audit lines that failed to parse; and how many server log records (CONNECTION, ..., ERROR) were written.
/// </summary>
internal readonly record struct LineCounts(int AuditLines, int SkippedLines, int ParseFailures, int ServerRecords = 0)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LineCounts operator +(LineCounts a, LineCounts b) =>
        new(a.AuditLines + b.AuditLines, a.SkippedLines + b.SkippedLines, a.ParseFailures + b.ParseFailures, a.ServerRecords + b.ServerRecords);
}
