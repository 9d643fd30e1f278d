using System.Globalization;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>What one run of <c>replay-failed</c> did, for the closing summary and the exit code.</summary>
internal sealed class ReplaySummary
{
    public int ObjectsListed { get; set; }

    public int ObjectsSkipped { get; set; }

    public int ObjectsSkippedIncomplete { get; set; }

    public int ObjectsReplayed { get; set; }

    public int ObjectsIncomplete { get; set; }

    public int ObjectsFailed { get; set; }

    public long Records { get; set; }

    public long Ok { get; set; }

    public long Dropped { get; set; }

    public long StillFailing { get; set; }

    public long Malformed { get; set; }

    public long AuditRecords { get; set; }

    public int OutputObjects { get; set; }

    public long OutputBytes { get; set; }

    /// <summary>True when something needs a look: a malformed line, a record that still fails, an object that could not be read or written.</summary>
    public bool HasProblems => StillFailing > 0 || Malformed > 0 || ObjectsFailed > 0;

    public IEnumerable<string> Describe(bool dryRun)
    {
        var verb = dryRun ? "would be " : "";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"objects: {ObjectsListed:N0} listed, {ObjectsSkipped + ObjectsSkippedIncomplete:N0} skipped (replayed before{(ObjectsSkippedIncomplete > 0 ? $", {ObjectsSkippedIncomplete:N0} of them incomplete: --retry-incomplete takes them again" : "")}), " +
            $"{ObjectsReplayed:N0} {verb}replayed ({ObjectsIncomplete:N0} incomplete), {ObjectsFailed:N0} could not be read or written");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"records: {Records:N0} failed records read, {Ok:N0} Ok, {Dropped:N0} Dropped, {StillFailing:N0} still failing, {Malformed:N0} malformed lines");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"output: {AuditRecords:N0} audit records in {OutputObjects:N0} objects ({OutputBytes:N0} bytes gzip'd) {(dryRun ? "would be written" : "written")}");
    }
}
