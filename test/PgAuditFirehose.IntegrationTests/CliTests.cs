using System.Globalization;
using System.Text;
using System.Text.Json;
using PgAuditFirehose.IntegrationTests.Cli;
using PgAuditFirehose.IntegrationTests.GroundTruth;
using PgAuditFirehose.IntegrationTests.Pipeline;
using PgAuditFirehose.IntegrationTests.Server;
using Xunit.Abstractions;

namespace PgAuditFirehose.IntegrationTests;

/// <summary>The CLI as a process: make-event then invoke on a real log, and the errors a user gets.</summary>
[Collection(WithPgAuditServer.Name)]
public sealed class CliTests(ServerRuns runs, ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("pgaudit-cli-it.");

    [SkippableFact]
    public void Make_event_then_invoke_gives_every_audit_line_with_its_envelope_fields()
    {
        var run = runs.Get(ServerRuns.RdsDefault);
        var entries = StderrLog.Entries(run.StderrLog);
        var truth = AuditGroundTruth.Build(run.CsvLog, entries);
        var eventFile = Path.Combine(_scratch.FullName, "event.json");

        var made = CliProcess.Run(["make-event", run.StderrLogPath, "--events-per-envelope", "7", "--log-group", "/aws/rds/instance/it-db/postgresql",
            "--log-stream", "it-db", "--owner", "210987654321", "-o", eventFile]);
        var invoked = CliProcess.Run(["invoke", eventFile], new Dictionary<string, string?> { ["LOG_LINE_PREFIX"] = run.LogLinePrefix });

        Assert.True(made.ExitCode == 0, made.Stderr);
        Assert.True(invoked.ExitCode == 0, invoked.Stderr);
        using var response = JsonDocument.Parse(invoked.Stdout);
        var results = response.RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(1 + (entries.Count + 6) / 7, results.Count);
        Assert.Equal("Dropped", results[0].GetProperty("result").GetString());
        var data = string.Concat(results.Where(r => r.GetProperty("result").GetString() == "Ok")
            .Select(r => Encoding.UTF8.GetString(Convert.FromBase64String(r.GetProperty("data").GetString()!))));
        // make-event times each event by its %t prefix and numbers it by its place in the log.
        var comparison = GroundTruthCheck.InOrder(run, truth, RecordDecoder.Json(data), json: true, line =>
        {
            var timestamp = new DateTimeOffset(DateTime.ParseExact(line.Entry.Message[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), TimeSpan.Zero).ToUnixTimeMilliseconds();
            return new RecordSource("/aws/rds/instance/it-db/postgresql", "it-db", "210987654321", "it-db", $"{timestamp:D20}{line.Entry.Index:D36}", timestamp);
        });
        Verdict.MatchesGroundTruth(comparison, truth, output, "make-event + invoke");
    }

    [Fact]
    public void Parse_and_make_event_name_a_missing_file()
    {
        var missing = Path.Combine(_scratch.FullName, "no-such.log");

        foreach (var command in new[] { "parse", "make-event" })
        {
            var result = CliProcess.Run([command, missing]);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"'{missing}' does not exist", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("", result.Stdout);
        }
    }

    [Fact]
    public void Parse_and_make_event_refuse_a_binary_file()
    {
        // The CLI's own assembly: a real binary file.
        var binary = Path.Combine(_scratch.FullName, "binary.log");
        File.Copy(typeof(LogFiles.LogFileTransformer).Assembly.Location, binary);

        foreach (var command in new[] { "parse", "make-event" })
        {
            var result = CliProcess.Run([command, binary]);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("binary file", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("", result.Stdout);
        }
    }

    [Fact]
    public void Parse_refuses_text_that_is_not_a_PostgreSQL_log()
    {
        var result = CliProcess.Run(["parse"], stdin: Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(PgAuditServer.RepositoryRoot, "scripts", "workload.sql"))));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("<stdin>: it is not a PostgreSQL stderr log", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_rejects_an_unknown_log_line_prefix_escape()
    {
        var result = CliProcess.Run(["parse", "--log-line-prefix", "%t %Z "], stdin: []);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--log-line-prefix", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("'%Z'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_redacts_secrets_unless_told_not_to()
    {
        var log = File.ReadAllBytes(Path.Combine(PgAuditServer.RepositoryRoot, "test", "PgAuditFirehose.Tests", "Fixtures", "real", "secrets.log"));

        var redacted = CliProcess.Run(["parse", "-q"], stdin: log);
        var verbatim = CliProcess.Run(["parse", "-q", "--redact-secrets", "false"], new Dictionary<string, string?> { ["REDACT_SECRETS"] = "true" }, stdin: log);
        var byVariable = CliProcess.Run(["parse", "-q"], new Dictionary<string, string?> { ["REDACT_SECRETS"] = "false" }, stdin: log);

        Assert.True(redacted.ExitCode == 0, redacted.Stderr);
        Assert.DoesNotContain("Zq", redacted.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"redacted\":true", redacted.Stdout, StringComparison.Ordinal);
        Assert.Contains("password 'Zq14map'", verbatim.Stdout, StringComparison.Ordinal);
        Assert.Equal(verbatim.Stdout, byVariable.Stdout);
    }

    [Theory]
    [InlineData("--redact-secrets", "maybe", "")]
    [InlineData("", "", "maybe")]
    public void Parse_rejects_a_redact_secrets_value_that_is_neither_true_nor_false(string option, string value, string variable)
    {
        string[] arguments = option.Length > 0 ? ["parse", option, value] : ["parse"];
        var result = CliProcess.Run(arguments, new Dictionary<string, string?> { ["REDACT_SECRETS"] = variable }, stdin: []);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option.Length > 0 ? "--redact-secrets" : "REDACT_SECRETS='maybe'", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Delete(recursive: true);
}
