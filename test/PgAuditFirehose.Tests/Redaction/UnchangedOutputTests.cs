using System.IO.Compression;
using System.Text;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.LogFiles;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Redaction;

/// <summary>Records without secrets come out byte for byte as they do with redaction off.</summary>
public class UnchangedOutputTests
{
    private const string RdsLongPrefix = "%m:%r:%u@%d:[%p]:%l:%e:%s:%v:%x:%c:%q%a:";

    private static string Read(string name)
    {
        if (!name.EndsWith(".gz", StringComparison.Ordinal)) return File.ReadAllText(RealLog.PathOf(name));
        using var gzip = new GZipStream(File.OpenRead(RealLog.PathOf(name)), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static byte[] Parse(string text, string prefix, OutputFormat format, bool redact)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(text));
        using var output = new MemoryStream();
        new LogFileTransformer(LogLinePrefix.Parse(prefix), format, redactSecrets: redact).Transform(input, output);
        return output.ToArray();
    }

    [Theory]
    [InlineData("workload.log", LogLinePrefix.RdsDefault, OutputFormat.Json)]
    [InlineData("workload.log", LogLinePrefix.RdsDefault, OutputFormat.Csv)]
    [InlineData("rds-sample.log", RdsLongPrefix, OutputFormat.Json)]
    [InlineData("rds-sample.log", RdsLongPrefix, OutputFormat.Csv)]
    [InlineData("high-volume.log.gz", LogLinePrefix.RdsDefault, OutputFormat.Json)]
    [InlineData("sessions.log", LogLinePrefix.RdsDefault, OutputFormat.Json)]
    [InlineData("sessions.log", LogLinePrefix.RdsDefault, OutputFormat.Csv)]
    public void The_real_fixtures_parse_to_the_same_bytes_with_redaction_on(string name, string prefix, OutputFormat format)
    {
        var text = Read(name);
        var on = Parse(text, prefix, format, redact: true);

        Assert.NotEmpty(on);
        Assert.Equal(Parse(text, prefix, format, redact: false), on);
    }

    [Theory]
    [InlineData(OutputFormat.Json, true)]
    [InlineData(OutputFormat.Json, false)]
    [InlineData(OutputFormat.Csv, true)]
    public void The_function_response_for_the_real_workload_is_the_same_with_redaction_on(OutputFormat format, bool escapedStatements)
    {
        var request = Pipeline.RealWorkloadEvent();
        var off = new TransformerOptions { Format = format, RedactSecrets = false, StatementsFromEscapedText = escapedStatements };

        Assert.Equal(Pipeline.RunToBytes(request, off), Pipeline.RunToBytes(request, off with { RedactSecrets = true }));
    }

    [Theory]
    [InlineData(OutputFormat.Json)]
    [InlineData(OutputFormat.Csv)]
    public void The_function_response_for_the_real_session_log_with_its_server_records_is_the_same_with_redaction_on(OutputFormat format)
    {
        var request = Pipeline.Event(SubscriptionEnvelopeWriter.EventsFromLog(Read("sessions.log"), 0), 7);
        var off = new TransformerOptions { Format = format, RedactSecrets = false };
        var on = Pipeline.RunToBytes(request, off with { RedactSecrets = true });

        Assert.Contains(Pipeline.Run(request, off).Response.Records, r => Pipeline.Text(r).Contains("LOGIN_FAILURE", StringComparison.Ordinal));
        Assert.Equal(Pipeline.RunToBytes(request, off), on);
    }

    [Fact]
    public void The_function_response_for_pgbench_traffic_is_the_same_with_redaction_on()
    {
        var request = Pipeline.Event(SubscriptionEnvelopeWriter.EventsFromLog(Read("high-volume.log.gz"), 0).Take(5000), 200);

        Assert.Equal(Pipeline.RunToBytes(request, new TransformerOptions { RedactSecrets = false }), Pipeline.RunToBytes(request));
    }
}
