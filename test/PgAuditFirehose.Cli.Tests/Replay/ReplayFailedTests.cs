using System.Text.Json;
using Amazon.S3;
using PgAuditFirehose.Cli.Replay;
using PgAuditFirehose.Cli.Tests.Servers;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Records;
using static PgAuditFirehose.Cli.Tests.Replay.FirehoseErrorObjects;

namespace PgAuditFirehose.Cli.Tests.Replay;

/// <summary>replay-failed against moto's S3 on 127.0.0.1: real API calls, real objects, real fixture records.</summary>
[Collection(MotoServerDefinition.Name)]
public sealed class ReplayFailedTests(MotoServer moto) : IDisposable
{
    private const string Partition = $"audit/json/dt={Day}/account=123456789012/cluster=pgaudit-demo/";
    private const string NameA = "pgaudit-firehose-1-2026-11-25-10-00-00-0b5b5c3e-0d6c-4b8e-a1f1-4c5d3f2e1a01";
    private const string NameB = "pgaudit-firehose-1-2026-11-25-11-00-00-7e1f4a2b-3c9d-4e8f-b2a6-9d8c7b6a5f02";

    private static readonly KinesisFirehoseEvent.FirehoseRecord[] FirstHalf = [.. RealWorkload.Take(4)];
    private static readonly KinesisFirehoseEvent.FirehoseRecord[] SecondHalf = [.. RealWorkload.Skip(4)];

    private AmazonS3Client? _s3;

    private AmazonS3Client S3 => _s3 ??= moto.CreateClient();

    public void Dispose() => _s3?.Dispose();

    [SkippableFact]
    public async Task Replayed_objects_hold_what_the_lambda_would_have_delivered_under_the_archive_layout()
    {
        var bucket = await TwoErrorObjectsAsync();

        var (exit, output, error) = await ReplayAsync(bucket);

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        var outputs = (await bucket.ListAsync("audit/")).Keys.ToArray();
        Assert.Equal(2, outputs.Length);
        Assert.StartsWith(Partition + "replay-" + NameA + "-", outputs[0], StringComparison.Ordinal);
        Assert.StartsWith(Partition + "replay-" + NameB + "-", outputs[1], StringComparison.Ordinal);
        Assert.All(outputs, k => Assert.EndsWith(".gz", k, StringComparison.Ordinal));
        Assert.Equal(Expected(FirstHalf)[("pgaudit-demo", "pgaudit-demo-instance-1.0")], await bucket.LinesAsync(outputs[0]));
        Assert.Equal(Expected(SecondHalf)[("pgaudit-demo", "pgaudit-demo-instance-1.0")], await bucket.LinesAsync(outputs[1]));
        Assert.Equal("true", await bucket.ReplayTagAsync(ErrorKey(NameA)));
        Assert.Equal("true", await bucket.ReplayTagAsync(ErrorKey(NameB)));
        var records = Expected(RealWorkload).Values.Sum(l => l.Count);
        Assert.Contains($"output: {records:N0} audit records in 2 objects", output, StringComparison.Ordinal);
        Assert.Contains($"records: {RealWorkload.Count} failed records read", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_records_are_the_audit_records_of_the_real_server_lines()
    {
        var bucket = await TwoErrorObjectsAsync();

        await ReplayAsync(bucket);

        var lines = new List<string>();
        foreach (var key in (await bucket.ListAsync("audit/")).Keys) lines.AddRange(await bucket.LinesAsync(key));
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var record = JsonDocument.Parse(line);
            Assert.Equal("pgaudit-demo", record.RootElement.GetProperty("db_identifier").GetString());
            Assert.Equal("pgaudit-demo-instance-1.0", record.RootElement.GetProperty("log_stream").GetString());
            Assert.False(record.RootElement.TryGetProperty("parse_error", out _), line);
        }

        Assert.Contains(lines, l => l.Contains("\"class\":\"DDL\"", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_second_run_writes_nothing_new()
    {
        var bucket = await TwoErrorObjectsAsync();
        await ReplayAsync(bucket);
        var before = await bucket.ListAsync();

        var (exit, output, _) = await ReplayAsync(bucket);

        Assert.Equal(0, exit);
        Assert.Equal(before, await bucket.ListAsync());
        Assert.Contains("objects: 2 listed, 2 skipped (replayed before), 0 replayed", output, StringComparison.Ordinal);
        Assert.Contains("output: 0 audit records in 0 objects", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Dry_run_writes_and_tags_nothing_but_says_what_it_would_write()
    {
        var bucket = await TwoErrorObjectsAsync();
        var before = await bucket.ListAsync();

        var (exit, output, _) = await ReplayAsync(bucket, "--dry-run");

        Assert.Equal(0, exit);
        Assert.Equal(before, await bucket.ListAsync());
        Assert.Null(await bucket.ReplayTagAsync(ErrorKey(NameA)));
        Assert.Null(await bucket.ReplayTagAsync(ErrorKey(NameB)));
        Assert.Contains("2 would be replayed", output, StringComparison.Ordinal);
        Assert.Contains("in 2 objects", output, StringComparison.Ordinal);
        Assert.Contains("would be written", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_malformed_error_object_is_reported_by_key_and_line_and_its_good_records_are_replayed()
    {
        var bucket = await TwoErrorObjectsAsync();
        const string name = "pgaudit-firehose-1-2026-11-25-12-00-00-broken";
        await bucket.PutAsync(ErrorKey(name), Object(
        [
            Line(BadRecords[0]),
            "{\"attemptsMade\":4,\"rawData\":",
            Line(BadRecords[1]),
            Line(BadRecords[3]),
            "[1,2,3]",
        ]));

        var (exit, output, _) = await ReplayAsync(bucket);

        Assert.Equal(1, exit);
        var uri = $"s3://{bucket.Name}/{ErrorKey(name)}";
        Assert.Contains($"malformed: {uri} line 2: not JSON", output, StringComparison.Ordinal);
        Assert.Contains($"malformed: {uri} line 3: rawData is not base64 (skipped)", output, StringComparison.Ordinal);
        Assert.Contains($"still failing: {uri} line 4: gzip data is truncated", output, StringComparison.Ordinal);
        Assert.Contains($"malformed: {uri} line 5: a JSON array, not an error record object", output, StringComparison.Ordinal);
        Assert.Contains("1 still failing, 3 malformed lines", output, StringComparison.Ordinal);
        // The good record of the broken object, and both other objects, are replayed anyway.
        var good = (await bucket.ListAsync("audit/json/")).Keys.Single(k => k.Contains("/account=123456/cluster=pg/", StringComparison.Ordinal));
        Assert.Equal(Expected([BadRecords[0]])[("pg", "pg-instance-1.0")], await bucket.LinesAsync(good));
        Assert.Equal(3, (await bucket.ListAsync("audit/")).Count);
        Assert.Equal("incomplete", await bucket.ReplayTagAsync(ErrorKey(name)));
        Assert.Equal("true", await bucket.ReplayTagAsync(ErrorKey(NameA)));
    }

    [SkippableFact]
    public async Task An_incomplete_object_is_taken_again_only_with_retry_incomplete_and_then_overwritten_not_duplicated()
    {
        var bucket = await TwoErrorObjectsAsync();
        const string name = "pgaudit-firehose-1-2026-11-25-12-00-00-broken";
        await bucket.PutAsync(ErrorKey(name), Object([Line(BadRecords[0]), Line(BadRecords[3])]));
        await ReplayAsync(bucket);
        var before = await bucket.ListAsync("audit/");

        var again = await ReplayAsync(bucket);
        var retried = await ReplayAsync(bucket, "--retry-incomplete");

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("3 skipped (replayed before, 1 of them incomplete: --retry-incomplete takes them again)", again.Output, StringComparison.Ordinal);
        Assert.Equal(1, retried.ExitCode);
        Assert.Contains("1 replayed (1 incomplete)", retried.Output, StringComparison.Ordinal);
        Assert.Equal(before.Keys, (await bucket.ListAsync("audit/")).Keys);
    }

    [SkippableFact]
    public async Task An_interrupted_run_resumes_with_the_objects_it_had_not_marked()
    {
        var bucket = await TwoErrorObjectsAsync();
        using var cancel = new CancellationTokenSource();
        var options = new ReplayOptions
        {
            Bucket = bucket.Name,
            Archive = ArchivePrefix.Parse(ArchivePrefix.TemplateDefault, "json"),
            Transformer = new TransformerOptions(),
        };

        // Interrupted after the first object, as by Ctrl+C.
        var exit = await ReplayFailedCommand.RunAsync(S3, options, TextWriter.Null, TextWriter.Null, progress: false, cancel.Token, _ => cancel.Cancel());

        Assert.Equal(130, exit);
        Assert.Equal("true", await bucket.ReplayTagAsync(ErrorKey(NameA)));
        Assert.Null(await bucket.ReplayTagAsync(ErrorKey(NameB)));
        Assert.Single(await bucket.ListAsync("audit/"));

        var (resumed, output, _) = await ReplayAsync(bucket);

        Assert.Equal(0, resumed);
        Assert.Contains("1 skipped (replayed before), 1 replayed", output, StringComparison.Ordinal);
        var outputs = (await bucket.ListAsync("audit/")).Keys.ToArray();
        Assert.Equal(2, outputs.Length);
        Assert.Equal(Expected(SecondHalf)[("pgaudit-demo", "pgaudit-demo-instance-1.0")], await bucket.LinesAsync(outputs[1]));
    }

    [SkippableFact]
    public async Task Csv_format_writes_the_csv_records_under_audit_csv()
    {
        var bucket = await TwoErrorObjectsAsync();

        var (exit, _, _) = await ReplayAsync(bucket, "--format", "csv");

        Assert.Equal(0, exit);
        var outputs = (await bucket.ListAsync("audit/")).Keys.ToArray();
        Assert.All(outputs, k => Assert.StartsWith($"audit/csv/dt={Day}/account=123456789012/cluster=pgaudit-demo/replay-", k, StringComparison.Ordinal));
        var csv = new TransformerOptions { Format = OutputFormat.Csv };
        Assert.Equal(Expected(FirstHalf, csv)[("pgaudit-demo", "pgaudit-demo-instance-1.0")], await bucket.LinesAsync(outputs[0]));
    }

    [SkippableFact]
    public async Task Parquet_stacks_get_json_records_where_the_functions_overflow_objects_go()
    {
        var bucket = await TwoErrorObjectsAsync();

        var (exit, _, _) = await ReplayAsync(bucket, "--format", "parquet");

        Assert.Equal(0, exit);
        var outputs = (await bucket.ListAsync("audit/")).Keys.ToArray();
        Assert.All(outputs, k => Assert.StartsWith($"audit/parquet-overflow/dt={Day}/account=123456789012/cluster=pgaudit-demo/replay-", k, StringComparison.Ordinal));
        Assert.Equal(Expected(FirstHalf)[("pgaudit-demo", "pgaudit-demo-instance-1.0")], await bucket.LinesAsync(outputs[0]));
    }

    [SkippableFact]
    public async Task Since_leaves_older_error_objects_alone()
    {
        var bucket = await TwoErrorObjectsAsync();
        await bucket.PutAsync("errors/processing-failed/dt=2026-11-20/old", Object(FirstHalf.Select(Line)));

        var (exit, output, _) = await ReplayAsync(bucket, "--since", "2026-11-21");

        Assert.Equal(0, exit);
        Assert.Contains("objects: 2 listed", output, StringComparison.Ordinal);
        Assert.Null(await bucket.ReplayTagAsync("errors/processing-failed/dt=2026-11-20/old"));
    }

    [SkippableFact]
    public async Task A_bucket_that_does_not_exist_is_exit_code_2()
    {
        _ = moto.Endpoint;

        var (exit, _, error) = await CliRun.InvokeAsync(ReplayFailedCommand.Create(MotoServer.Credentials),
            "replay-failed", "--bucket", "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "--endpoint-url", moto.Endpoint);

        Assert.Equal(2, exit);
        Assert.Contains("error: listing s3://no-such-bucket-", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_prefix_with_an_expression_firehose_would_not_expand_here_is_refused()
    {
        var (exit, _, error) = await CliRun.InvokeAsync(ReplayFailedCommand.Create(MotoServer.Credentials),
            "replay-failed", "--bucket", "b", "--endpoint-url", "http://127.0.0.1:1", "--archive-prefix", "audit/!{firehose:random-string}/");

        Assert.Equal(2, exit);
        Assert.Contains("'!{firehose:random-string}' in 'audit/!{firehose:random-string}/' is not an expression the function can expand", error, StringComparison.Ordinal);
    }

    /// <summary>A bucket holding two error objects of the real workload's records: the first plain, the second gzip'd.</summary>
    private async Task<S3Bucket> TwoErrorObjectsAsync()
    {
        var bucket = await S3Bucket.CreateAsync(S3);
        await bucket.PutAsync(ErrorKey(NameA), Object(FirstHalf.Select(Line)));
        await bucket.PutAsync(ErrorKey(NameB), Object(SecondHalf.Select(Line), gzip: true));
        return bucket;
    }

    [SkippableFact]
    public async Task A_log_timezone_that_is_no_zone_is_a_usage_error_before_anything_is_read()
    {
        var (exit, _, error) = await CliRun.InvokeAsync(ReplayFailedCommand.Create(MotoServer.Credentials),
            ["replay-failed", "--bucket", "no-such-bucket", "--endpoint-url", "http://127.0.0.1:9", "--log-timezone", "Asia/Atlantis"]);

        Assert.Equal(2, exit);
        Assert.Contains("--log-timezone: 'Asia/Atlantis' is not a time zone", error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> ReplayAsync(S3Bucket bucket, params string[] more) =>
        CliRun.InvokeAsync(ReplayFailedCommand.Create(MotoServer.Credentials),
            ["replay-failed", "--bucket", bucket.Name, "--endpoint-url", moto.Endpoint, .. more]);
}
