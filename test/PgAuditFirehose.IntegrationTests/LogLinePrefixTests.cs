using PgAuditFirehose.IntegrationTests.GroundTruth;
using PgAuditFirehose.IntegrationTests.Pipeline;
using PgAuditFirehose.IntegrationTests.Server;
using Xunit.Abstractions;

namespace PgAuditFirehose.IntegrationTests;

/// <summary>The same workload on servers with other <c>log_line_prefix</c> settings, through the handler with LOG_LINE_PREFIX set to match.</summary>
[Collection(WithPgAuditServer.Name)]
public sealed class LogLinePrefixTests(ServerRuns runs, ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(ServerRuns.RdsLong, "json")]
    [InlineData(ServerRuns.RdsLong, "csv")]
    [InlineData(ServerRuns.SelfManaged, "json")]
    [InlineData(ServerRuns.SelfManaged, "csv")]
    public void Records_match_the_csvlog_with_this_log_line_prefix(string logLinePrefix, string format)
    {
        var run = runs.Get(logLinePrefix);
        var entries = StderrLog.Entries(run.StderrLog);
        var truth = AuditGroundTruth.Build(run.CsvLog, entries);

        var invocation = FirehoseInvocation.Run(entries, eventsPerEnvelope: 40, logLinePrefix, format);

        Assert.DoesNotContain("ProcessingFailed", invocation.Results);
        var records = format == "json" ? RecordDecoder.Json(invocation.Output) : RecordDecoder.Csv(invocation.Output);
        Verdict.MatchesGroundTruth(GroundTruthCheck.ByEventId(run, truth, records, json: format == "json"), truth, output, $"handler ({format}, '{logLinePrefix}')");
    }

    [SkippableFact]
    public void The_default_prefix_reads_no_line_of_a_server_with_another_prefix()
    {
        // The RDS default against a self-managed server's log: every audit line is kept, each with parse_error.
        var run = runs.Get(ServerRuns.SelfManaged);
        var entries = StderrLog.Entries(run.StderrLog);
        var truth = AuditGroundTruth.Build(run.CsvLog, entries);

        var records = RecordDecoder.Json(FirehoseInvocation.Run(entries, eventsPerEnvelope: 40, ServerRuns.RdsDefault, "json").Output);

        Assert.Equal(truth.Lines.Count, records.Count(GroundTruthCheck.IsAudit));
        Assert.All(records, r => Assert.Contains("log_line_prefix", (string)r["parse_error"]!, StringComparison.Ordinal));
    }
}
