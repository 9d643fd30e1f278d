using System.Globalization;
using PgAuditFirehose.IntegrationTests.GroundTruth;
using PgAuditFirehose.IntegrationTests.Pipeline;
using PgAuditFirehose.IntegrationTests.Server;
using Xunit.Abstractions;

namespace PgAuditFirehose.IntegrationTests;

/// <summary>The ground-truth comparison itself: it must notice what a parser bug would change, field by field.</summary>
[Collection(WithPgAuditServer.Name)]
public sealed class GroundTruthComparisonTests(ServerRuns runs, ITestOutputHelper output)
{
    [SkippableFact]
    public void The_comparison_names_every_field_that_differs_and_every_missing_record()
    {
        var run = runs.Get(ServerRuns.RdsDefault);
        var entries = StderrLog.Entries(run.StderrLog);
        var truth = AuditGroundTruth.Build(run.CsvLog, entries);
        var records = RecordDecoder.Json(FirehoseInvocation.Run(entries, eventsPerEnvelope: 25, run.LogLinePrefix, "json").Output);

        // What typical parser bugs would do: keep the continuation tab, lose a parameter, misread rows,
        // take a wrong user, shift the time, drop a line.
        var statement = records.FindIndex(r => ((string)r["statement"]!).Contains('\n', StringComparison.Ordinal));
        records[statement]["statement"] = ((string)records[statement]["statement"]!).Replace("\n", "\n\t", StringComparison.Ordinal);
        var parameters = records.FindIndex(r => r["parameters"] is string[] { Length: > 1 });
        records[parameters]["parameters"] = ((string[])records[parameters]["parameters"]!)[..^1];
        var rows = records.FindIndex(r => r["rows"] is long);
        records[rows]["rows"] = (long)records[rows]["rows"]! + 1;
        var user = records.FindIndex(r => r["user_name"] is "postgres");
        records[user]["user_name"] = "postgres@postgres";
        // An hour, as a wrong zone would: a shift of one second can land a %t clock edge (stderr a second
        // behind csvlog, which the comparison tolerates) on the right second, and the test failed by chance.
        var time = records.FindIndex(r => r["log_time"] is string);
        records[time]["log_time"] = DateTimeOffset.Parse((string)records[time]["log_time"]!, CultureInfo.InvariantCulture)
            .AddHours(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        records.RemoveAt(records.Count - 1);

        var comparison = GroundTruthCheck.ByEventId(run, truth, records, json: true);

        output.WriteLine(comparison.Report());
        Assert.Equal(6, comparison.Differences.Count);
        Assert.Contains(comparison.Differences, d => d.StartsWith($"record {statement} ", StringComparison.Ordinal) && d.Contains(": statement: ", StringComparison.Ordinal));
        Assert.Contains(comparison.Differences, d => d.StartsWith($"record {parameters} ", StringComparison.Ordinal) && d.Contains(": parameters: ", StringComparison.Ordinal));
        Assert.Contains(comparison.Differences, d => d.StartsWith($"record {rows} ", StringComparison.Ordinal) && d.Contains(": rows: ", StringComparison.Ordinal));
        Assert.Contains(comparison.Differences, d => d.StartsWith($"record {user} ", StringComparison.Ordinal) && d.Contains(": user_name: ", StringComparison.Ordinal));
        Assert.Contains(comparison.Differences, d => d.StartsWith($"record {time} ", StringComparison.Ordinal) && d.Contains(": log_time: ", StringComparison.Ordinal));
        Assert.Contains(comparison.Differences, d => d.Contains(": no record for stderr log entry ", StringComparison.Ordinal));
    }
}
