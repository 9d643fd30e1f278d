using Xunit.Abstractions;

namespace PgAuditFirehose.IntegrationTests.GroundTruth;

/// <summary>The assertions every ground-truth test makes, with the full report in the test output.</summary>
internal static class Verdict
{
    public static void MatchesGroundTruth(RecordComparison comparison, AuditGroundTruth truth, ITestOutputHelper output, string what)
    {
        output.WriteLine($"{what}: {truth.CsvRows} csvlog rows, {truth.Lines.Count} audit lines; {comparison.Report()}");
        Assert.True(truth.Unmatched.Count == 0, "csvlog audit rows without a stderr log entry:\n" + string.Join('\n', truth.Unmatched));
        Assert.True(truth.Lines.Count > 0, "the workload produced no audit lines");
        Assert.True(comparison.Differences.Count == 0, $"{what} differs from the csvlog ground truth:\n{comparison.Report()}");
        // Every database name with '@' must be mis-split exactly as documented, nothing else: if this starts
        // failing because the split got smarter, update the documented rule and this assertion.
        Assert.True(comparison.MisSplits.Count == comparison.ExpectedMisSplits,
            $"documented user@database rule: {comparison.ExpectedMisSplits} records have a database name with '@', {comparison.MisSplits.Count} were mis-split as documented\n{comparison.Report()}");
    }
}
