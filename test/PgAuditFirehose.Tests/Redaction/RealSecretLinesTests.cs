using System.Text;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.LogFiles;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Redaction;

/// <summary>
/// The log a real PostgreSQL 15 + pgaudit wrote for secret-bearing statements (scripts/capture-secret-lines.sh):
/// every secret in it holds "Zq", so no output byte may.
/// </summary>
public class RealSecretLinesTests
{
    private static string SecretsLog => File.ReadAllText(RealLog.PathOf("secrets.log"));

    private static string LambdaOutput(OutputFormat format, bool redact)
    {
        var request = Pipeline.Event(SubscriptionEnvelopeWriter.EventsFromLog(SecretsLog, 0), 7);
        var (response, _) = Pipeline.Run(request, new TransformerOptions { Format = format, RedactSecrets = redact });
        Assert.All(response.Records, r => Assert.NotEqual(KinesisFirehoseResponse.TransformedStateProcessingFailed, r.Result));
        return string.Concat(response.Records.Where(r => r.Result == KinesisFirehoseResponse.TransformedStateOk).Select(Pipeline.Text));
    }

    private static string ParseOutput(OutputFormat format, bool redact)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(SecretsLog));
        using var output = new MemoryStream();
        new LogFileTransformer(LogLinePrefix.Parse(LogLinePrefix.RdsDefault), format, redactSecrets: redact).Transform(input, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Theory]
    [InlineData(OutputFormat.Json)]
    [InlineData(OutputFormat.Csv)]
    public void The_function_output_holds_no_secret(OutputFormat format)
    {
        var output = LambdaOutput(format, redact: true);

        Assert.DoesNotContain("Zq", output, StringComparison.Ordinal);
        Assert.Contains("password <REDACTED>", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OutputFormat.Json)]
    [InlineData(OutputFormat.Csv)]
    public void The_parse_command_output_holds_no_secret(OutputFormat format)
    {
        Assert.DoesNotContain("Zq", ParseOutput(format, redact: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OutputFormat.Json)]
    [InlineData(OutputFormat.Csv)]
    public void The_server_error_records_are_there_and_hold_no_secret(OutputFormat format)
    {
        foreach (var output in new[] { LambdaOutput(format, redact: true), ParseOutput(format, redact: true) })
        {
            Assert.Contains("ALTER ROLE r1 PASSWORD <REDACTED> VALID UNTILL 'infinity';", output, StringComparison.Ordinal);
            Assert.Contains("syntax error at or near", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Zq", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_server_error_record_of_the_mistyped_alter_role_says_it_was_redacted_on_both_paths()
    {
        // One envelope: the ERROR entry and its STATEMENT are not cut apart.
        var lambda = Pipeline.JsonRecords(Pipeline.Run(Pipeline.Event(SubscriptionEnvelopeWriter.EventsFromLog(SecretsLog, 0), 1000)).Response).ToList();
        var parse = ParseOutput(OutputFormat.Json, redact: true).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();

        foreach (var records in new[] { lambda, parse })
        {
            var error = Assert.Single(records, r => r.GetProperty("record_type").GetString() == "ERROR"
                && r.GetProperty("statement").GetString() is { } s && s.Contains("VALID UNTILL", StringComparison.Ordinal));
            Assert.Equal("syntax error at or near \"UNTILL\" at character 41", error.GetProperty("message").GetString());
            Assert.Equal("ALTER ROLE r1 PASSWORD <REDACTED> VALID UNTILL 'infinity';", error.GetProperty("statement").GetString());
            Assert.True(error.GetProperty("redacted").GetBoolean());
            Assert.All(records.Where(r => r.GetProperty("record_type").GetString() == "ERROR" && r.GetProperty("statement").GetString() == "SELECT dblink_disconnect('c1');"),
                r => Assert.False(r.TryGetProperty("redacted", out _)));
        }
    }

    [Fact]
    public void With_redaction_off_the_user_mapping_password_pgaudit_left_is_archived_verbatim()
    {
        Assert.Contains("ALTER ROLE r1 PASSWORD 'Zq12typo' VALID UNTILL", LambdaOutput(OutputFormat.Json, redact: false), StringComparison.Ordinal);
        Assert.Contains("password 'Zq14map'", LambdaOutput(OutputFormat.Json, redact: false), StringComparison.Ordinal);
        Assert.Contains("Zq38param", ParseOutput(OutputFormat.Csv, redact: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Redacted_records_say_so_and_the_others_do_not()
    {
        var records = Pipeline.JsonRecords(Pipeline.Run(Pipeline.Event(SubscriptionEnvelopeWriter.EventsFromLog(SecretsLog, 0), 7)).Response).ToList();

        var redacted = records.Where(r => r.TryGetProperty("redacted", out var v) && v.GetBoolean()).Select(r => r.GetProperty("statement").GetString()).ToList();
        Assert.Contains("CREATE USER MAPPING FOR r1 SERVER fdw1 OPTIONS (user 'r1', password <REDACTED>);", redacted);
        Assert.DoesNotContain(records, r => r.GetProperty("statement").GetString() is { } s && s.Contains("password_keeper", StringComparison.Ordinal) && r.TryGetProperty("redacted", out _));
    }

    [Fact]
    public void The_statements_of_the_servers_error_entries_lose_their_secrets()
    {
        var statements = SubscriptionEnvelopeWriter.EventsFromLog(SecretsLog, 0).Select(e => e.Message)
            .Where(m => m.Contains(":STATEMENT:  ", StringComparison.Ordinal))
            .Select(m => m[(m.IndexOf(":STATEMENT:  ", StringComparison.Ordinal) + 13)..].Replace("\n\t", "\n", StringComparison.Ordinal))
            .Where(s => s.Contains("Zq", StringComparison.Ordinal)).ToList();

        Assert.Contains(statements, s => s.Contains("VALID UNTILL", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.EndsWith("'Zq37unterminated", StringComparison.Ordinal));
        Assert.All(statements, s => Assert.DoesNotContain("Zq", Redact.Statement(s).Statement, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(OutputFormat.Json)]
    [InlineData(OutputFormat.Csv)]
    public void Every_listed_secret_is_absent_from_every_output_byte(OutputFormat format)
    {
        // The list as audit lines: quoted as pgAudit quotes its CSV, continuation lines tab-indented as the log writes them.
        var events = SecretStatements.All.Select((s, i) => new SubscriptionEnvelopeWriter.EnvelopeEvent(
            $"{i}", 1_700_000_000_000 + i,
            $"2026-12-08 03:59:40 UTC:[local]:postgres@postgres:[3582]:LOG:  AUDIT: SESSION,{i + 1},1,MISC,SET,,,\"{s.Statement.Replace("\"", "\"\"", StringComparison.Ordinal)}\",<not logged>"
                .Replace("\n", "\n\t", StringComparison.Ordinal)));
        var (response, _) = Pipeline.Run(Pipeline.Event(events, 5), new TransformerOptions { Format = format });
        var output = string.Concat(response.Records.Where(r => r.Result == KinesisFirehoseResponse.TransformedStateOk).Select(Pipeline.Text));

        Assert.Equal(SecretStatements.All.Length, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (var secret in SecretStatements.All.SelectMany(s => s.Secrets))
        {
            Assert.DoesNotContain(format == OutputFormat.Json ? JsonEscaped(secret) : secret, output, StringComparison.Ordinal);
        }
    }

    // How the secret's text would look in JSON output (so an escaped leak is caught too).
    private static string JsonEscaped(string text) => System.Text.Json.JsonSerializer.Serialize(text)[1..^1];
}
