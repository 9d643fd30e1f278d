using PgAuditFirehose.IntegrationTests.GroundTruth;
using PgAuditFirehose.IntegrationTests.Pipeline;
using PgAuditFirehose.IntegrationTests.Server;
using PgAuditFirehose.Records;
using Xunit.Abstractions;

namespace PgAuditFirehose.IntegrationTests;

/// <summary>
/// CONNECTION, DISCONNECTION, LOGIN_FAILURE and ERROR records of a real server's session workload
/// (scripts/session-workload.sh), every field of every record compared with the server's csvlog.
/// </summary>
[Collection(WithPgAuditServer.Name)]
public sealed class SessionGroundTruthTests(ServerRuns runs, ITestOutputHelper output)
{
    private static readonly string[] Continuations = [AuditColumns.Detail.Name, AuditColumns.Hint.Name, AuditColumns.Context.Name, AuditColumns.Statement.Name];

    [SkippableTheory]
    [InlineData("json")]
    [InlineData("csv")]
    public void Every_server_record_equals_its_csvlog_row(string format)
    {
        var (run, entries, truth) = Truth();
        var invocation = FirehoseInvocation.Run(entries, eventsPerEnvelope: entries.Count, run.LogLinePrefix, format);
        var records = format == "json" ? RecordDecoder.Json(invocation.Output) : RecordDecoder.Csv(invocation.Output);

        var comparison = Compare(run, truth, records, format == "json");

        Assert.True(comparison.Differences.Count == 0, comparison.Report());
        Assert.Equal(AuditGroundTruth.Build(run.CsvLog, entries).Lines.Count, records.Count(GroundTruthCheck.IsAudit));
    }

    [SkippableFact]
    public void The_workload_has_every_kind_of_entry_the_issue_names()
    {
        var (_, _, truth) = Truth();

        Assert.Equal(10, truth.Count(l => l.RecordType == "LOGIN_FAILURE"));
        Assert.Contains(truth, l => l.RecordType == "CONNECTION" && l.Entry.Message.Contains(" SSL enabled (", StringComparison.Ordinal));
        Assert.Contains(truth, l => l.RecordType == "CONNECTION" && !l.Entry.Message.Contains(" SSL enabled (", StringComparison.Ordinal) && l.Row.ConnectionFrom != "[local]");
        Assert.Contains(truth, l => l.RecordType == "DISCONNECTION" && SessionGroundTruth.SessionMilliseconds(l.Row) > 1000);
        Assert.Contains(truth, l => l.Row is { Detail: not null, Hint: not null, Context: not null } && l.Row.Query!.Contains('\n', StringComparison.Ordinal));
        Assert.Contains(truth, l => l.RecordType == "ERROR" && l.Row.Location is not null);
        Assert.Contains(truth, l => l.RecordType == "CONNECTION" && l.Row.Location is not null);
        Assert.Contains(truth, l => l.RecordType == "ERROR" && l.Row.Severity == "FATAL");
    }

    [SkippableFact]
    public void Continuations_cut_off_by_small_envelopes_join_their_message_in_a_record_of_their_own()
    {
        var (run, entries, truth) = Truth();
        var records = RecordDecoder.Json(FirehoseInvocation.Run(entries, eventsPerEnvelope: 3, run.LogLinePrefix, "json").Output);

        var separated = records.Count(r => r[AuditColumns.RecordType.Name] is "ERROR" && r[AuditColumns.Severity.Name] is null);
        var comparison = Compare(run, truth, Joined(records), json: true);

        output.WriteLine($"{separated} records of separated continuations");
        Assert.True(separated > 0, "no envelope boundary fell between an error and its continuations");
        Assert.True(comparison.Differences.Count == 0, comparison.Report());
    }

    private (WorkloadRun Run, List<LogEntry> Entries, List<ServerLine> Truth) Truth()
    {
        var run = runs.GetSessions();
        var entries = StderrLog.Entries(run.StderrLog);
        var truth = SessionGroundTruth.Build(run.CsvLog, entries, out var unmatched);
        Assert.True(unmatched.Count == 0, "csvlog rows without a stderr entry:\n" + string.Join("\n", unmatched));
        return (run, entries, truth);
    }

    private RecordComparison Compare(WorkloadRun run, List<ServerLine> truth, List<Dictionary<string, object?>> records, bool json)
    {
        var rows = CsvLogRow.ReadAll(run.CsvLog);
        var comparison = new RecordComparison(milliseconds: false, json);
        var byEventId = truth.ToDictionary(l => l.Entry.EventId);
        var seen = new HashSet<string>();
        var unknownApplications = 0;
        for (var i = 0; i < records.Count; i++)
        {
            if (GroundTruthCheck.IsAudit(records[i])) continue;
            var id = records[i][AuditColumns.LogEventId.Name] as string;
            if (id is null || !byEventId.TryGetValue(id, out var line) || !seen.Add(id))
            {
                comparison.Differences.Add($"record {i}: log event {id} is no (or a second) server log record of the csvlog: {string.Join(", ", records[i].Select(kv => $"{kv.Key}={kv.Value}"))}");
                continue;
            }

            var source = new RecordSource(FirehoseInvocation.LogGroup, FirehoseInvocation.LogStream, FirehoseInvocation.Owner, FirehoseInvocation.DbIdentifier, line.Entry.EventId, line.Entry.Timestamp);
            var expected = SessionGroundTruth.Expected(line, rows, source);
            if (expected[AuditColumns.ApplicationName.Name] == SessionGroundTruth.Unknown)
            {
                unknownApplications++;
                expected[AuditColumns.ApplicationName.Name] = records[i][AuditColumns.ApplicationName.Name];
            }

            comparison.Add($"record {i} ({line.RecordType})", line.Row, expected, records[i], json ? AuditColumns.All : AuditColumns.Csv);
        }

        foreach (var line in truth.Where(l => !seen.Contains(l.Entry.EventId))) comparison.Differences.Add($"{line.Row.Label}: no {line.RecordType} record for: {line.Entry.Message}");
        output.WriteLine(comparison.Report());
        output.WriteLine($"{truth.Count} server log records ({string.Join(", ", truth.GroupBy(l => l.RecordType).Select(g => $"{g.Count()} {g.Key}"))}); " +
            $"{unknownApplications} CONNECTION records of sessions that ended before the csvlog named their application");
        return comparison;
    }

    // A separated continuation's record joins the record of the same process before it (what the docs' Athena join does).
    private static List<Dictionary<string, object?>> Joined(List<Dictionary<string, object?>> records)
    {
        var joined = new List<Dictionary<string, object?>>();
        foreach (var record in records)
        {
            if (record[AuditColumns.RecordType.Name] is "ERROR" && record[AuditColumns.Severity.Name] is null)
            {
                var message = joined.Last(r => r[AuditColumns.RecordType.Name] is "ERROR" or "LOGIN_FAILURE" && Equals(r[AuditColumns.ProcessId.Name], record[AuditColumns.ProcessId.Name]));
                foreach (var column in Continuations) message[column] ??= record[column];
                continue;
            }

            joined.Add(record);
        }

        return joined;
    }
}
