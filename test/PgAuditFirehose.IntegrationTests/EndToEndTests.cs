using PgAuditFirehose.IntegrationTests.GroundTruth;
using PgAuditFirehose.IntegrationTests.Pipeline;
using PgAuditFirehose.IntegrationTests.Server;
using Xunit.Abstractions;

namespace PgAuditFirehose.IntegrationTests;

/// <summary>
/// The real server's stderr log, cut into CloudWatch Logs events, wrapped into gzip'd envelopes and a
/// Firehose event, through the Lambda handler: every field of every record equals the csvlog of the same run.
/// </summary>
[Collection(WithPgAuditServer.Name)]
public sealed class EndToEndTests(ServerRuns runs, ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("json")]
    [InlineData("csv")]
    public void Every_field_of_every_handler_record_matches_the_csvlog(string format)
    {
        var run = runs.Get(ServerRuns.RdsDefault);
        var entries = StderrLog.Entries(run.StderrLog);
        var truth = AuditGroundTruth.Build(run.CsvLog, entries);

        var invocation = FirehoseInvocation.Run(entries, eventsPerEnvelope: 25, run.LogLinePrefix, format);

        Assert.Equal("Dropped", invocation.Results[0]);
        Assert.DoesNotContain("ProcessingFailed", invocation.Results);
        var records = format == "json" ? RecordDecoder.Json(invocation.Output) : RecordDecoder.Csv(invocation.Output);
        var comparison = GroundTruthCheck.ByEventId(run, truth, records, json: format == "json");
        output.WriteLine($"{entries.Count} log entries in {invocation.Envelopes} envelopes + a control message; workload ran in {run.Duration.TotalSeconds:F1} s");
        Verdict.MatchesGroundTruth(comparison, truth, output, $"handler ({format}, {run.LogLinePrefix})");
    }

    [SkippableFact]
    public void The_workload_covers_what_the_ground_truth_test_claims()
    {
        var run = runs.Get(ServerRuns.RdsDefault);
        var entries = StderrLog.Entries(run.StderrLog);
        var lines = AuditGroundTruth.Build(run.CsvLog, entries).Lines;
        var audit = lines.Select(l => (l.Row, Fields: Rfc4180.ReadSingleRecord(l.Row.Message["AUDIT: ".Length..]).Select(f => f ?? "").ToList(), l.Entry)).ToList();
        bool Any(Func<(CsvLogRow Row, List<string> Fields, LogEntry Entry), bool> predicate) => audit.Any(predicate);

        var missing = new List<string>();
        void Require(string what, bool covered)
        {
            if (!covered) missing.Add(what);
        }

        foreach (var c in new[] { "READ", "WRITE", "FUNCTION", "ROLE", "DDL", "MISC" }) Require($"class {c}", Any(a => a.Fields[3] == c));
        foreach (var t in new[] { "SESSION", "OBJECT" }) Require($"audit type {t}", Any(a => a.Fields[0] == t));
        foreach (var s in new[] { "LOG", "NOTICE", "WARNING", "INFO", "DEBUG" }) Require($"severity {s}", Any(a => a.Row.Severity == s));
        foreach (var m in new[] { "<none>", "<not logged>", "<previously logged>" }) Require($"parameter {m}", Any(a => a.Fields[8] == m));
        Require("a parameter list with , \" CR LF and an empty value", Any(a => a.Fields[8].Contains(",\"", StringComparison.Ordinal) && a.Fields[8].Contains('\n', StringComparison.Ordinal) && a.Fields[8].Contains('\r', StringComparison.Ordinal)));
        Require("extended protocol ($n parameters)", Any(a => a.Fields[7].Contains("$1", StringComparison.Ordinal) && !a.Fields[8].StartsWith('<')));
        Require("rows (10 fields)", Any(a => a.Fields.Count == 10 && a.Fields[9].Length > 0));
        Require("9 fields", Any(a => a.Fields.Count == 9));
        Require("a substatement", Any(a => a.Fields[2] != "1"));
        Require("a multi-line statement", Any(a => a.Fields[7].Contains('\n', StringComparison.Ordinal)));
        Require("a CR in a statement", Any(a => a.Fields[7].Contains('\r', StringComparison.Ordinal)));
        Require("a tab in a statement", Any(a => a.Fields[7].Contains('\t', StringComparison.Ordinal)));
        Require("non-ASCII text", Any(a => a.Fields[7].Any(ch => ch > 127)));
        Require("a statement containing 'LOG:  AUDIT:'", Any(a => a.Fields[7].Contains("LOG:  AUDIT:", StringComparison.Ordinal)));
        Require("a statement over 8 KB", Any(a => a.Fields[7].Length > 8192));
        Require("an object name with a comma and quotes", Any(a => a.Fields[6].Contains(',', StringComparison.Ordinal) && a.Fields[6].Contains('"', StringComparison.Ordinal)));
        Require("log_error_verbosity=verbose (SQLSTATE before AUDIT:)", Any(a => a.Entry.Message.Contains(":  00000: AUDIT: ", StringComparison.Ordinal)));
        Require("the unix socket", Any(a => a.Row.ConnectionFrom == "[local]"));
        Require("IPv4", Any(a => a.Row.ConnectionFrom?.StartsWith("127.0.0.1:", StringComparison.Ordinal) == true));
        if (run.Ipv6) Require("IPv6", Any(a => a.Row.ConnectionFrom?.StartsWith("::1:", StringComparison.Ordinal) == true));
        Require("a user with '@' on a database without '@'", Any(a => a.Row.UserName!.Contains('@', StringComparison.Ordinal) && !a.Row.DatabaseName!.Contains('@', StringComparison.Ordinal)));
        Require("a user and a database both with '@'", Any(a => a.Row.UserName!.Contains('@', StringComparison.Ordinal) && a.Row.DatabaseName!.Contains('@', StringComparison.Ordinal)));
        Require("a user without '@' on a database with '@'", Any(a => !a.Row.UserName!.Contains('@', StringComparison.Ordinal) && a.Row.DatabaseName!.Contains('@', StringComparison.Ordinal)));
        Require("a user name with a space, quotes, ':' and ','", Any(a => a.Row.UserName!.Contains(' ', StringComparison.Ordinal) && a.Row.UserName.Contains('"', StringComparison.Ordinal)));

        output.WriteLine($"{audit.Count} audit lines; not covered: {(missing.Count == 0 ? "none" : string.Join("; ", missing))}");
        Assert.True(missing.Count == 0, "the workload does not cover: " + string.Join("; ", missing));
    }
}
