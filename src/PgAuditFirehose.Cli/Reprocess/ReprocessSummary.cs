using System.Globalization;

namespace PgAuditFirehose.Cli.Reprocess;

/// <summary>What one run of <c>reprocess</c> did, for the closing summary and the exit code.</summary>
internal sealed class ReprocessSummary
{
    public int ObjectsListed { get; set; }

    public int ObjectsSkipped { get; set; }

    public int ObjectsReprocessed { get; set; }

    public int ObjectsIncomplete { get; set; }

    public int ObjectsFailed { get; set; }

    public long Records { get; set; }

    public long Ok { get; set; }

    public long Dropped { get; set; }

    public long Failed { get; set; }

    public long AuditRecords { get; set; }

    public int OutputObjects { get; set; }

    public long OutputBytes { get; set; }

    /// <summary>True when something needs a look: a record the transformation fails, an object that could not be read or written.</summary>
    public bool HasProblems => Failed > 0 || ObjectsFailed > 0;

    public IEnumerable<string> Describe(bool dryRun)
    {
        var verb = dryRun ? "would be " : "";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"objects: {ObjectsListed:N0} backup objects listed, {ObjectsSkipped:N0} skipped (reprocessed before: --again takes them again), " +
            $"{ObjectsReprocessed:N0} {verb}reprocessed ({ObjectsIncomplete:N0} with failed records), {ObjectsFailed:N0} could not be read or written");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"records: {Records:N0} source records read, {Ok:N0} Ok, {Dropped:N0} Dropped (control messages, no audit lines), {Failed:N0} failed");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"output: {AuditRecords:N0} audit records in {OutputObjects:N0} objects ({OutputBytes:N0} bytes gzip'd) {(dryRun ? "would be written" : "written")}");
    }
}
