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

    public static TheoryData<string> Captures => ["workload", "rds-sample"];

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
    public void The_default_pattern_matches_other_entries_only_where_they_quote_audit_text(string capture)
    {
        // An ERROR or STATEMENT entry that echoes a query containing 'LOG:  AUDIT: ...' passes any
        // substring filter; the function must discard it. Nothing else may pass.
        var extra = Entries(capture).Where(e => !IsAuditEntry(e) && DefaultFilterPatternTests.Default.Matches(e)).ToList();

        Assert.All(extra, entry => Assert.Matches(QuotedAuditText(), entry));
        Assert.All(extra, entry => Assert.Matches(EchoSeverity(), entry));
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

    [GeneratedRegex(@"['""](?:DEBUG|INFO|NOTICE|WARNING|LOG):  (?:[0-9A-Z]{5}: )?AUDIT:")]
    private static partial Regex QuotedAuditText();

    [GeneratedRegex(@":\[\d+\]:(?:[^:]*:){0,12}?(?:ERROR|STATEMENT|DETAIL|CONTEXT|HINT|QUERY):  ")]
    private static partial Regex EchoSeverity();
}
