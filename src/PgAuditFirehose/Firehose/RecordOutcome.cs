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

/// <summary>How many log entries of a record were audit lines, other lines, and audit lines that failed to parse.</summary>
internal readonly record struct LineCounts(int AuditLines, int SkippedLines, int ParseFailures)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LineCounts operator +(LineCounts a, LineCounts b) =>
        new(a.AuditLines + b.AuditLines, a.SkippedLines + b.SkippedLines, a.ParseFailures + b.ParseFailures);
}
