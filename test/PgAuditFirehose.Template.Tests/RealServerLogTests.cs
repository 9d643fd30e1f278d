using System.Text.RegularExpressions;
using PgAuditFirehose.Template.Tests.CloudWatchLogs;

namespace PgAuditFirehose.Template.Tests;

/// <summary>
/// The default filter pattern against logs of a real PostgreSQL 15 + pgaudit run (stderr format,
/// one CloudWatch event per entry) whose csvlog of the same run says which entries are audit lines.
/// </summary>
public partial class RealServerLogTests
{
    private const int CsvSeverity = 11;
    private const int CsvMessage = 13;

    public static TheoryData<string> Captures => ["workload", "rds-sample", "sessions"];

    [Theory]
    [MemberData(nameof(Captures))]
    public void The_stderr_log_has_as_many_audit_entries_as_the_csvlog(string capture)
    {
        var csvAudit = CsvAuditSeverities(capture);
        var stderrAudit = Entries(capture).Where(IsAuditEntry).ToList();

        Assert.NotEmpty(csvAudit);
        Assert.Equal(csvAudit.Count, stderrAudit.Count);
        Assert.Equal(
            csvAudit.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count()),
            stderrAudit.GroupBy(e => AuditSeverity().Match(e).Groups["severity"].Value).ToDictionary(g => g.Key, g => g.Count()));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void The_default_pattern_matches_every_audit_entry(string capture)
    {
        var missed = Entries(capture).Where(IsAuditEntry).Where(e => !DefaultFilterPatternTests.Default.Matches(e)).ToList();

        Assert.True(missed.Count == 0, "missed audit entries:\n" + string.Join("\n", missed));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void The_default_pattern_matches_every_entry_that_becomes_a_server_record_and_its_continuations(string capture)
    {
        var wanted = Entries(capture).Where(IsServerRecordEntry).ToList();
        var missed = wanted.Where(e => !DefaultFilterPatternTests.Default.Matches(e)).ToList();

        Assert.True(missed.Count == 0, "missed server log entries:\n" + string.Join("\n", missed));
        if (capture == "sessions") Assert.InRange(wanted.Count, 60, 200);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void The_default_pattern_matches_no_other_entry_of_the_real_logs(string capture)
    {
        // Connection received/authenticated, checkpoints, start and stop, LOCATION and QUERY lines stay out.
        var extra = Entries(capture).Where(e => !IsAuditEntry(e) && !IsServerRecordEntry(e) && DefaultFilterPatternTests.Default.Matches(e)).ToList();

        Assert.True(extra.Count == 0, "other entries that pass:\n" + string.Join("\n", extra));
    }

    [Fact]
    public void The_sessions_capture_has_as_many_server_record_entries_as_its_csvlog()
    {
        var rows = ServerLogFile.CsvRecords(RepositoryFiles.RealFixture("sessions.csv"));
        var csvRecords = rows.Count(r => r[CsvSeverity] is "ERROR" or "FATAL" or "PANIC"
            || (r[CsvSeverity] == "LOG" && (r[CsvMessage].StartsWith("connection authorized: ", StringComparison.Ordinal) || r[CsvMessage].StartsWith("disconnection: ", StringComparison.Ordinal))));

        Assert.Equal(csvRecords, Entries("sessions").Count(e => IsServerRecordEntry(e) && !Continuation().IsMatch(e.Split('\n')[0])));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void The_matching_term_starts_after_a_non_alphanumeric_character(string capture)
    {
        // So token-based matching would agree with the substring matching implemented here.
        foreach (var entry in Entries(capture).Where(IsAuditEntry))
        {
            var term = DefaultFilterPatternTests.Default.Alternatives.First(t => entry.Contains(t, StringComparison.Ordinal));
            var at = entry.IndexOf(term, StringComparison.Ordinal);
            Assert.True(at > 0 && !char.IsLetterOrDigit(entry[at - 1]), entry);
        }
    }

    private static IReadOnlyList<string> Entries(string capture) =>
        ServerLogFile.StderrEntries(RepositoryFiles.RealFixture(capture + ".log"));

    private static List<string> CsvAuditSeverities(string capture) =>
    [
        .. ServerLogFile.CsvRecords(RepositoryFiles.RealFixture(capture + ".csv"))
            .Where(r => r.Count > CsvMessage && r[CsvMessage].StartsWith("AUDIT: ", StringComparison.Ordinal))
            .Select(r => r[CsvSeverity]),
    ];

    // The entry's own severity field is an audit one and its message starts with AUDIT: — what
    // pgaudit writes right after the prefix (which ends in "]:" or ":<application>:").
    private static bool IsAuditEntry(string entry) => AuditSeverity().IsMatch(entry.Split('\n')[0]);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \w+:.*?:\[\d+\]:(?:[^:]*:){0,12}?(?<severity>DEBUG|INFO|NOTICE|WARNING|LOG):  (?:[0-9A-Z]{5}: )?AUDIT: (?:SESSION|OBJECT),")]
    private static partial Regex AuditSeverity();

    // The entry's own severity field: ERROR, FATAL or PANIC, a continuation with a column, or a session LOG entry.
    private static bool IsServerRecordEntry(string entry) => ServerRecordSeverity().IsMatch(entry.Split('\n')[0]);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \w+:.*?:\[\d+\]:(?:[^:]*:){0,12}?(?:(?:ERROR|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT):  |LOG:  (?:[0-9A-Z]{5}: )?(?:(?:replication )?connection authorized: |disconnection: session time: ))")]
    private static partial Regex ServerRecordSeverity();

    [GeneratedRegex(@":\[\d+\]:(?:[^:]*:){0,12}?(?:DETAIL|HINT|CONTEXT|STATEMENT):  ")]
    private static partial Regex Continuation();
}
