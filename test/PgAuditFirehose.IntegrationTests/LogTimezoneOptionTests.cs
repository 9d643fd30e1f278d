using System.Text;
using PgAuditFirehose.IntegrationTests.Cli;

namespace PgAuditFirehose.IntegrationTests;

/// <summary><c>--log-timezone</c> on the commands that read log lines: the CLI's LOG_TIMEZONE.</summary>
public sealed class LogTimezoneOptionTests : IDisposable
{
    // A line as a server with log_timezone = 'Asia/Shanghai' writes it (the RDS prefix).
    private const string ShanghaiLine = "2026-12-08 12:00:00 CST:[local]:postgres@postgres:[4242]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("i19-tz.").FullName;

    [Theory]
    [InlineData("parse")]
    [InlineData("invoke")]
    public void The_option_names_the_servers_zone_and_china_standard_time_becomes_utc(string command)
    {
        var result = Run(command, "--log-timezone", "Asia/Shanghai");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("\"log_time\":\"2026-12-08T04:00:00Z\"", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parse")]
    [InlineData("invoke")]
    public void Without_it_the_record_is_kept_with_no_log_time_and_the_reason(string command)
    {
        var result = Run(command);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("\"statement\":\"select 1\"", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\"log_time\":\"", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("alone is ambiguous", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parse")]
    [InlineData("invoke")]
    public void A_name_that_is_no_zone_is_a_usage_error(string command)
    {
        var result = Run(command, "--log-timezone", "Asia/Atlantis");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'Asia/Atlantis' is not a time zone", result.Stderr, StringComparison.Ordinal);
    }

    private Server.ProcessResult Run(string command, params string[] options)
    {
        var log = Path.Combine(_directory, "postgresql.log");
        File.WriteAllBytes(log, Encoding.UTF8.GetBytes(ShanghaiLine));
        if (command == "parse") return CliProcess.Run(["parse", log, "--quiet", .. options]);

        var eventFile = Path.Combine(_directory, "event.json");
        var made = CliProcess.Run(["make-event", log, "--no-control", "--shape", "JsonEnvelope", "--output", eventFile]);
        Assert.True(made.ExitCode == 0, made.Stderr);
        return CliProcess.Run(["invoke", eventFile, "--decode", .. options]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
