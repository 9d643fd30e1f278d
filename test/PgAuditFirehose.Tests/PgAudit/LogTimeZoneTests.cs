using PgAuditFirehose.Firehose;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.PgAudit;

/// <summary>
/// LOG_TIMEZONE: a line's local time and zone abbreviation become UTC only by the configured zone's real
/// rules, never by guessing what an abbreviation means. The lines are in the RDS prefix's exact format
/// (<c>%t:%r:%u@%d:[%p]:</c>); the integration tests compare lines a real server wrote with its csvlog.
/// </summary>
public sealed class LogTimeZoneTests
{
    private const string Rest = ":10.0.0.1(5432):alice@app:[42]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>";

    [Theory]
    [InlineData("Asia/Shanghai", "2026-12-08 12:00:00 CST", "2026-12-08T04:00:00Z")]
    [InlineData("America/Chicago", "2026-12-08 12:00:00 CST", "2026-12-08T18:00:00Z")]
    [InlineData("America/Chicago", "2026-07-08 12:00:00 CDT", "2026-07-08T17:00:00Z")]
    [InlineData("Asia/Kolkata", "2026-12-08 12:00:00 IST", "2026-12-08T06:30:00Z")]
    [InlineData("Europe/London", "2026-12-08 12:00:00 GMT", "2026-12-08T12:00:00Z")]
    [InlineData("Europe/London", "2026-07-08 12:00:00 BST", "2026-07-08T11:00:00Z")]
    [InlineData("Europe/Dublin", "2026-07-08 12:00:00 IST", "2026-07-08T11:00:00Z")]
    [InlineData("Australia/Adelaide", "2026-12-08 12:00:00 ACDT", "2026-12-08T01:30:00Z")]
    [InlineData("Australia/Adelaide", "2026-07-08 12:00:00 ACST", "2026-07-08T02:30:00Z")]
    [InlineData("Europe/Paris", "2022-03-25 13:52:29 CET", "2022-03-25T12:52:29Z")]
    [InlineData("Asia/Tokyo", "2022-01-01 00:30:00 JST", "2021-12-31T15:30:00Z")]
    public void Local_times_are_converted_by_the_configured_zones_rules(string zone, string time, string utc)
    {
        var line = ParsedLine.ParseIn(zone, time + Rest)!;

        Assert.Null(line.ParseError);
        Assert.Equal(utc, line.LogTime);
    }

    [Theory]
    [InlineData("CST")]
    [InlineData("IST")]
    [InlineData("BST")]
    [InlineData("AST")]
    public void An_ambiguous_abbreviation_without_its_zone_keeps_the_record_with_no_log_time_and_says_what_to_set(string abbreviation)
    {
        var line = ParsedLine.ParseAudit($"2026-12-08 12:00:00 {abbreviation}" + Rest);

        Assert.Null(line.LogTime);
        Assert.Equal("select 1", line.Statement);
        Assert.Contains($"'{abbreviation}' alone is ambiguous", line.ParseError, StringComparison.Ordinal);
        Assert.Contains("set LOG_TIMEZONE", line.ParseError, StringComparison.Ordinal);
    }

    [Fact]
    public void China_standard_time_is_never_read_as_us_central_time()
    {
        var line = ParsedLine.ParseAudit("2026-12-08 12:00:00 CST" + Rest);

        Assert.Contains("UTC+08:00", line.ParseError, StringComparison.Ordinal);
        Assert.Contains("UTC-06:00", line.ParseError, StringComparison.Ordinal);
        Assert.Null(line.LogTime);
    }

    [Theory]
    [InlineData("America/Chicago", "2026-12-08 12:00:00 CEST")]
    [InlineData("Asia/Shanghai", "2026-12-08 12:00:00 EST")]
    [InlineData("UTC", "2026-12-08 12:00:00 CET")]
    public void An_abbreviation_the_configured_zone_does_not_use_is_a_parse_error(string zone, string time)
    {
        var line = ParsedLine.ParseIn(zone, time + Rest)!;

        Assert.Null(line.LogTime);
        Assert.Contains($"is not one {zone} (LOG_TIMEZONE) uses", line.ParseError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_abbreviation_the_zone_used_only_in_the_past_is_a_parse_error_today()
    {
        // China kept daylight saving time, CDT, from 1986 to 1991.
        Assert.Equal("1990-07-01T03:00:00Z", ParsedLine.ParseIn("Asia/Shanghai", "1990-07-01 12:00:00 CDT" + Rest)!.LogTime);
        var today = ParsedLine.ParseIn("Asia/Shanghai", "2026-07-01 12:00:00 CDT" + Rest)!;

        Assert.Null(today.LogTime);
        Assert.Contains("is not a time Asia/Shanghai (LOG_TIMEZONE) ever showed", today.ParseError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-07-08 12:00:00 CST")]
    [InlineData("2026-12-08 12:00:00 CDT")]
    public void An_abbreviation_of_the_zone_that_does_not_fit_the_date_is_a_parse_error(string time)
    {
        // Chicago writes CDT in July and CST in December: the other one contradicts its rules.
        var line = ParsedLine.ParseIn("America/Chicago", time + Rest)!;

        Assert.Null(line.LogTime);
        Assert.Contains("is not a time America/Chicago (LOG_TIMEZONE) ever showed", line.ParseError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-01 00:59:59 CDT", "2026-11-01T05:59:59Z")]
    [InlineData("2026-11-01 01:00:00 CDT", "2026-11-01T06:00:00Z")]
    [InlineData("2026-11-01 01:30:00 CDT", "2026-11-01T06:30:00Z")]
    [InlineData("2026-11-01 01:59:59 CDT", "2026-11-01T06:59:59Z")]
    [InlineData("2026-11-01 01:00:00 CST", "2026-11-01T07:00:00Z")]
    [InlineData("2026-11-01 01:30:00 CST", "2026-11-01T07:30:00Z")]
    [InlineData("2026-11-01 02:00:00 CST", "2026-11-01T08:00:00Z")]
    public void The_hour_that_repeats_when_dst_ends_is_told_apart_by_the_abbreviation(string time, string utc)
    {
        var line = ParsedLine.ParseIn("America/Chicago", time + Rest)!;

        Assert.Null(line.ParseError);
        Assert.Equal(utc, line.LogTime);
    }

    [Theory]
    [InlineData("2026-03-08 01:59:59 CST", "2026-03-08T07:59:59Z")]
    [InlineData("2026-03-08 03:00:00 CDT", "2026-03-08T08:00:00Z")]
    public void The_times_around_the_hour_skipped_when_dst_starts_are_converted(string time, string utc)
    {
        var line = ParsedLine.ParseIn("America/Chicago", time + Rest)!;

        Assert.Null(line.ParseError);
        Assert.Equal(utc, line.LogTime);
    }

    [Theory]
    [InlineData("2026-03-08 02:30:00 CST")]
    [InlineData("2026-03-08 02:30:00 CDT")]
    public void A_time_in_the_hour_skipped_when_dst_starts_is_a_parse_error(string time)
    {
        var line = ParsedLine.ParseIn("America/Chicago", time + Rest)!;

        Assert.Null(line.LogTime);
        Assert.Contains("ever showed", line.ParseError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_hour_whose_abbreviation_does_not_change_leaves_log_time_empty_with_the_reason()
    {
        // Moscow went from UTC+4 to UTC+3 on 2014-10-26 at 02:00, MSK before and after: 01:30 MSK happened twice.
        var line = ParsedLine.ParseIn("Europe/Moscow", "2014-10-26 01:30:00 MSK" + Rest)!;

        Assert.Null(line.LogTime);
        Assert.Contains("happened twice in Europe/Moscow", line.ParseError, StringComparison.Ordinal);
        Assert.Equal("2014-10-26T22:30:00Z", ParsedLine.ParseIn("Europe/Moscow", "2014-10-27 01:30:00 MSK" + Rest)!.LogTime);
    }

    [Theory]
    [InlineData("UTC", "2026-12-08 12:00:00 +04", "2026-12-08T08:00:00Z")]
    [InlineData("Asia/Dubai", "2026-12-08 12:00:00 +04", "2026-12-08T08:00:00Z")]
    [InlineData("UTC", "2026-12-08 01:52:29 -0530", "2026-12-08T07:22:29Z")]
    public void A_numeric_zone_is_exact_whatever_the_configured_zone(string zone, string time, string utc)
    {
        var line = ParsedLine.ParseIn(zone, time + Rest)!;

        Assert.Null(line.ParseError);
        Assert.Equal(utc, line.LogTime);
    }

    [Fact]
    public void Milliseconds_are_kept_through_the_conversion()
    {
        var line = ParsedLine.ParseIn("Asia/Kolkata", "2026-12-08 12:00:00.123 IST" + Rest, "%m:%r:%u@%d:[%p]:")!;

        Assert.Equal("2026-12-08T06:30:00.123Z", line.LogTime);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("CST")]
    [InlineData("../../etc/passwd")]
    public void A_name_that_is_not_an_iana_zone_stops_the_function_naming_the_variable(string name)
    {
        var e = Assert.Throws<ConfigurationException>(() => TransformerOptions.FromEnvironment(v => v == "LOG_TIMEZONE" ? name : null));

        Assert.StartsWith("LOG_TIMEZONE is not valid:", e.Message, StringComparison.Ordinal);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_zone_is_utc_and_needs_no_zone_data()
    {
        Assert.True(TransformerOptions.FromEnvironment(_ => null).TimeZone.IsUtc);
        Assert.True(LogTimeZone.Parse("Etc/UTC").IsUtc);
        Assert.Equal("Asia/Shanghai", TransformerOptions.FromEnvironment(v => v == "LOG_TIMEZONE" ? "Asia/Shanghai" : null).TimeZone.Id);
    }
}
