using System.Globalization;
using System.Text;
using PgAuditFirehose.IntegrationTests.Cli;
using PgAuditFirehose.IntegrationTests.GroundTruth;
using PgAuditFirehose.IntegrationTests.Pipeline;
using PgAuditFirehose.IntegrationTests.Server;
using PgAuditFirehose.LogFiles;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;
using Xunit.Abstractions;

namespace PgAuditFirehose.IntegrationTests;

/// <summary><c>parse LOGFILE</c> on the real server's stderr log: the backfill path gives the handler's records.</summary>
[Collection(WithPgAuditServer.Name)]
public sealed class ParseCommandTests(ServerRuns runs, ITestOutputHelper output)
{
    private static readonly string[] CloudWatchColumns =
    [
        AuditColumns.LogGroup.Name, AuditColumns.LogStream.Name, AuditColumns.AccountId.Name,
        AuditColumns.DbIdentifier.Name, AuditColumns.LogEventId.Name, AuditColumns.LogEventTimestamp.Name,
    ];

    [SkippableTheory]
    [InlineData(ServerRuns.RdsDefault, "json")]
    [InlineData(ServerRuns.RdsDefault, "csv")]
    [InlineData(ServerRuns.SelfManaged, "json")]
    public void Parse_writes_a_record_for_every_audit_line_of_the_log_file(string logLinePrefix, string format)
    {
        var run = runs.Get(logLinePrefix);
        var truth = AuditGroundTruth.Build(run.CsvLog, StderrLog.Entries(run.StderrLog));
        var records = Path.Combine(Path.GetDirectoryName(run.StderrLogPath)!, $"parse-{Guid.NewGuid():N}.{format}");

        // The prefix as LOG_LINE_PREFIX (like the Lambda's setting) for the RDS default, as the option otherwise.
        var result = logLinePrefix == ServerRuns.RdsDefault
            ? CliProcess.Run(["parse", run.StderrLogPath, "--format", format, "--output", records], new Dictionary<string, string?> { ["LOG_LINE_PREFIX"] = logLinePrefix })
            : CliProcess.Run(["parse", run.StderrLogPath, "--format", format, "--output", records, "--log-line-prefix", logLinePrefix]);

        output.WriteLine(result.Stderr);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var text = File.ReadAllText(records, Encoding.UTF8);
        var decoded = format == "json" ? RecordDecoder.Json(text) : RecordDecoder.Csv(text);
        Verdict.MatchesGroundTruth(GroundTruthCheck.InOrder(run, truth, decoded, format == "json", _ => null), truth, output, $"parse ({format}, '{logLinePrefix}')");
        var lines = run.StderrLog.Count(b => b == (byte)'\n');
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{lines:N0} lines, "), result.Stderr, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{truth.Lines.Count:N0} audit records, "), result.Stderr, StringComparison.Ordinal);
        Assert.Contains(" 0 failed to parse", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Parse_of_standard_input_gives_the_handlers_records_without_the_CloudWatch_fields()
    {
        var run = runs.Get(ServerRuns.RdsDefault);
        var entries = StderrLog.Entries(run.StderrLog);
        // One envelope, as a file is one stream: no envelope boundary separates an ERROR from its continuations.
        var handler = RecordDecoder.Json(FirehoseInvocation.Run(entries, eventsPerEnvelope: entries.Count, run.LogLinePrefix, "json").Output);

        var result = CliProcess.Run(["parse", "-"], stdin: run.StderrLog);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var parsed = RecordDecoder.Json(result.Stdout);
        Assert.Equal(handler.Count, parsed.Count);
        for (var i = 0; i < handler.Count; i++)
        {
            foreach (var (column, value) in handler[i])
            {
                var expected = CloudWatchColumns.Contains(column) ? null : value;
                Assert.True(Equals(expected, parsed[i].GetValueOrDefault(column)) || (expected is string[] a && parsed[i][column] is string[] b && a.SequenceEqual(b)),
                    $"record {i}: {column}: handler {expected}, parse {parsed[i].GetValueOrDefault(column)}");
            }
        }
    }

    [SkippableFact]
    public void The_log_file_transformer_reads_entries_longer_than_its_buffer()
    {
        var run = runs.Get(ServerRuns.RdsDefault);
        var entries = StderrLog.Entries(run.StderrLog);
        var truth = AuditGroundTruth.Build(run.CsvLog, entries);
        const int bufferSize = 1024;
        Assert.Contains(entries, e => Encoding.UTF8.GetByteCount(e.Message) > 8 * bufferSize);

        var transformer = new LogFileTransformer(LogLinePrefix.Parse(run.LogLinePrefix), OutputFormat.Json, bufferSize);
        using var records = new MemoryStream();
        var progress = new List<LogFileSummary>();
        var summary = transformer.Transform(new MemoryStream(run.StderrLog), records, progress.Add);

        var decoded = RecordDecoder.Json(Encoding.UTF8.GetString(records.ToArray()));
        Verdict.MatchesGroundTruth(GroundTruthCheck.InOrder(run, truth, decoded, json: true, _ => null), truth, output, "LogFileTransformer (1 KiB buffer)");
        Assert.Equal(entries.Count, summary.Entries);
        Assert.Equal(truth.Lines.Count, summary.AuditRecords);
        // The rest are ERROR records (with the continuations they took) or skipped.
        var errors = CsvLogRow.ReadAll(run.CsvLog).Count(r => r.Severity is "ERROR" or "FATAL" or "PANIC");
        Assert.Equal(errors, summary.ServerRecords);
        Assert.InRange(summary.Skipped, 1, entries.Count - truth.Lines.Count - errors);
        Assert.Equal(run.StderrLog.Length, summary.Bytes);
        Assert.Equal(run.StderrLog.Count(b => b == (byte)'\n'), summary.Lines);
        Assert.True(progress.Count > 2, $"progress reported {progress.Count} times for {run.StderrLog.Length} bytes");
        Assert.Equal(summary, progress[^1]);
    }

    [SkippableTheory]
    [InlineData(1024)]
    [InlineData(1031)]
    [InlineData(4099)]
    [InlineData(65537)]
    public void The_log_file_transformer_writes_the_same_bytes_whatever_its_buffer_size(int bufferSize)
    {
        // Entry boundaries, "\n\t" continuations and CRs fall at every place of a refill with these sizes.
        var run = runs.Get(ServerRuns.RdsDefault);
        var prefix = LogLinePrefix.Parse(run.LogLinePrefix);
        using var reference = new MemoryStream();
        new LogFileTransformer(prefix, OutputFormat.Csv).Transform(new MemoryStream(run.StderrLog), reference);
        using var small = new MemoryStream();

        new LogFileTransformer(prefix, OutputFormat.Csv, bufferSize).Transform(new MemoryStream(run.StderrLog), small);

        Assert.Equal(reference.ToArray(), small.ToArray());
    }

    [SkippableFact]
    public void Parse_refuses_a_csvlog_file_and_says_which_file_to_use()
    {
        var run = runs.Get(ServerRuns.RdsDefault);
        var csv = Path.Combine(Path.GetDirectoryName(run.StderrLogPath)!, "postgresql.csv");

        var result = CliProcess.Run(["parse", csv]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("csvlog", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [SkippableFact]
    public void Parse_refuses_a_log_written_with_another_log_line_prefix()
    {
        var run = runs.Get(ServerRuns.RdsDefault);

        var result = CliProcess.Run(["parse", run.StderrLogPath, "--log-line-prefix", ServerRuns.SelfManaged]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"match log_line_prefix '{ServerRuns.SelfManaged}'", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}
