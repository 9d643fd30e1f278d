using System.Text;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.PgAudit;

public class LogLinePrefixTests
{
    [Fact]
    public void Rds_default_prefix_gives_time_host_port_user_database_and_pid()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => e.Contains("UTC:127.0.0.1(", StringComparison.Ordinal) && e.Contains(":LOG:  AUDIT:", StringComparison.Ordinal)));

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", line.LogTime);
        Assert.Equal("127.0.0.1", line.RemoteHost);
        Assert.NotNull(line.RemotePort);
        Assert.Equal("postgres", line.User);
        Assert.Equal("postgres", line.Database);
        Assert.True(line.ProcessId > 0);
        Assert.Null(line.ParseError);
    }

    [Fact]
    public void Ipv6_client_address_keeps_its_colons()
    {
        var entry = RealLog.Entry(e => e.Contains("UTC:::1(", StringComparison.Ordinal) && e.Contains("AUDIT:", StringComparison.Ordinal));
        var line = ParsedLine.ParseAudit(entry);

        Assert.Equal("::1", line.RemoteHost);
        Assert.Equal(PortIn(entry, "UTC:::1("), line.RemotePort);
    }

    [Fact]
    public void Unix_socket_client_is_local_without_port()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => e.Contains("UTC:[local]:postgres@postgres", StringComparison.Ordinal) && e.Contains("AUDIT:", StringComparison.Ordinal)));

        Assert.Equal("[local]", line.RemoteHost);
        Assert.Null(line.RemotePort);
    }

    [Fact]
    public void User_name_with_at_colon_and_comma_is_kept_whole()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => e.Contains("app@corp:x,y@", StringComparison.Ordinal) && e.Contains("AUDIT:", StringComparison.Ordinal)),
            LogLinePrefix.RdsDefault);

        // Database "db:@,1" holds an '@' too: the documented rule gives the user the longest text.
        Assert.Equal("app@corp:x,y@db:", line.User);
        Assert.Equal(",1", line.Database);
    }

    [Fact]
    public void Database_name_with_colon_and_comma_is_kept_whole()
    {
        var line = ParsedLine.ParseAudit(
            "2026-11-25 10:39:38 UTC:[local]:app@corp:x,y@db:,1:[7461]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1;,<not logged>");

        Assert.Equal("app@corp:x,y", line.User);
        Assert.Equal("db:,1", line.Database);
    }

    [Fact]
    public void Background_process_has_no_host_user_or_database()
    {
        var prefix = LogLinePrefix.Parse(LogLinePrefix.RdsDefault);
        var fields = default(PrefixFields);
        var matched = prefix.TryMatch("2026-11-25 10:39:37 UTC::@:[7420]:"u8, ref fields);

        Assert.True(matched);
        Assert.True(fields.RemoteHost.IsEmpty);
        Assert.True(fields.User.IsEmpty);
        Assert.True(fields.Database.IsEmpty);
        Assert.Equal(7420, fields.ProcessId);
    }

    [Fact]
    public void Rds_long_prefix_with_milliseconds_and_application_name_parses()
    {
        var entry = RealLog.RdsLongPrefixEntries.First(e => e.Contains("AUDIT:", StringComparison.Ordinal) && e.Contains('(', StringComparison.Ordinal));
        var line = ParsedLine.ParseAudit(entry, "%m:%r:%u@%d:[%p]:%l:%e:%s:%v:%x:%c:%q%a:");

        Assert.Null(line.ParseError);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line.LogTime);
        Assert.Equal(entry[..23].Replace(' ', 'T') + "Z", line.LogTime);
        Assert.NotNull(line.RemotePort);
        Assert.NotNull(line.User);
    }

    [Fact]
    public void Every_audit_line_of_the_rds_long_prefix_sample_parses()
    {
        var audit = RealLog.RdsLongPrefixEntries.Select(e => ParsedLine.Parse(e, "%m:%r:%u@%d:[%p]:%l:%e:%s:%v:%x:%c:%q%a:")).OfType<ParsedLine>().ToList();

        Assert.NotEmpty(audit);
        Assert.All(audit, l => Assert.Null(l.ParseError));
    }

    [Fact]
    public void Q_escape_ends_the_prefix_of_background_processes()
    {
        var prefix = LogLinePrefix.Parse("%m:%r:%u@%d:[%p]:%l:%e:%s:%v:%x:%c:%q%a:");
        var fields = default(PrefixFields);
        var text = "2026-11-25 10:39:38.569 UTC::@:[7507]:4:00000:2026-11-25 10:39:38 UTC::0:6b06baea.1d53:"u8;

        Assert.True(prefix.TryMatch(text, ref fields));
        Assert.Equal(7507, fields.ProcessId);
    }

    [Theory]
    [InlineData("Europe/Paris", "2022-03-25 13:52:29 CET", "2022-03-25T12:52:29Z")]
    [InlineData("UTC", "2022-03-25 13:52:29 +03", "2022-03-25T10:52:29Z")]
    [InlineData("UTC", "2022-03-25 01:52:29 -0530", "2022-03-25T07:22:29Z")]
    [InlineData("Asia/Tokyo", "2022-01-01 00:30:00 JST", "2021-12-31T15:30:00Z")]
    [InlineData("Europe/London", "2022-03-25 13:52:29 GMT", "2022-03-25T13:52:29Z")]
    public void Non_utc_log_timezones_are_converted_to_utc(string zone, string time, string iso)
    {
        var line = ParsedLine.ParseIn(zone, $"{time} [42] LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>", "%t [%p] ")!;

        Assert.Null(line.ParseError);
        Assert.Equal(iso, line.LogTime);
    }

    [Fact]
    public void Unknown_time_zone_abbreviation_is_a_parse_error_that_keeps_the_line()
    {
        var line = ParsedLine.ParseAudit("2022-03-25 13:52:29 XYZT [42] LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>", "%t [%p] ");

        Assert.Contains("time zone 'XYZT'", line.ParseError, StringComparison.Ordinal);
        Assert.Null(line.LogTime);
        Assert.Equal("select 1", line.Statement);
        Assert.NotNull(line.RawMessage);
    }

    [Fact]
    public void Epoch_escape_gives_milliseconds()
    {
        var line = ParsedLine.ParseAudit("1648216349.123 [42] LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>", "%n [%p] ");

        Assert.Equal("2022-03-25T13:52:29.123Z", line.LogTime);
    }

    [Fact]
    public void Padded_escapes_are_trimmed()
    {
        var line = ParsedLine.ParseAudit("2022-03-25 13:52:29 UTC [   42] alice     @db LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>", "%t [%5p] %-10u@%d ");

        Assert.Equal(42, line.ProcessId);
        Assert.Equal("alice", line.User);
        Assert.Equal("db", line.Database);
    }

    [Fact]
    public void Host_only_escape_and_percent_literal_are_supported()
    {
        var line = ParsedLine.ParseAudit("100% 2001:db8::5 bob@app [7] LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>", "100%% %h %u@%d [%p] ");

        Assert.Equal("2001:db8::5", line.RemoteHost);
        Assert.Null(line.RemotePort);
        Assert.Equal("bob", line.User);
    }

    [Fact]
    public void A_prefix_that_does_not_match_is_reported_and_the_line_kept()
    {
        var entry = RealLog.Entry(e => e.Contains(":LOG:  AUDIT:", StringComparison.Ordinal));
        var line = ParsedLine.ParseAudit(entry, "%m [%p] ");

        Assert.Contains("log_line_prefix '%m [%p] '", line.ParseError, StringComparison.Ordinal);
        Assert.Equal(entry, line.RawMessage);
        Assert.True(line.HasAuditFields);
    }

    [Theory]
    [InlineData("%t %z", "'%z'")]
    [InlineData("%u%d", "separator")]
    [InlineData("%t %", "unfinished")]
    public void Invalid_prefixes_are_rejected_with_the_reason(string format, string reason)
    {
        var e = Assert.Throws<FormatException>(() => LogLinePrefix.Parse(format));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_supported_escape_compiles()
    {
        var prefix = LogLinePrefix.Parse("%t %m %n %s %r %h %u@%d %p %a|%b|%i|%L| %l %x %P %Q %e %c %v %q %%");

        Assert.Equal("%t %m %n %s %r %h %u@%d %p %a|%b|%i|%L| %l %x %P %Q %e %c %v %q %%", prefix.Format);
    }

    private static int PortIn(string entry, string before)
    {
        var start = entry.IndexOf(before, StringComparison.Ordinal) + before.Length;
        return int.Parse(entry[start..entry.IndexOf(')', start)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
