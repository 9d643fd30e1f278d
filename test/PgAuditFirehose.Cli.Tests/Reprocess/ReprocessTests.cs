using Amazon.S3;
using PgAuditFirehose.Cli.Replay;
using PgAuditFirehose.Cli.Reprocess;
using PgAuditFirehose.Cli.Tests.Replay;
using PgAuditFirehose.Cli.Tests.Servers;
using PgAuditFirehose.Firehose;
using static PgAuditFirehose.Cli.Tests.Replay.FirehoseErrorObjects;
using static PgAuditFirehose.Cli.Tests.Reprocess.FirehoseSourceBackups;

namespace PgAuditFirehose.Cli.Tests.Reprocess;

/// <summary>reprocess against moto's S3 on 127.0.0.1: backup objects in Firehose's layout, real fixture records.</summary>
[Collection(MotoServerDefinition.Name)]
public sealed class ReprocessTests(MotoServer moto) : IDisposable
{
    private const string Partition = $"audit/json/dt={Day}/account=123456789012/cluster=pgaudit-demo/";
    private const string NameA = "10-05-00-0b5b5c3e-0d6c-4b8e-a1f1-4c5d3f2e1a01";
    private const string NameB = "10-10-00-7e1f4a2b-3c9d-4e8f-b2a6-9d8c7b6a5f02";

    // The real workload's first half holds the control message; an envelope of the same server without its audit lines goes with it.
    private static readonly KinesisFirehoseEvent.FirehoseRecord[] FirstHalf = [.. RealWorkload.Take(4), EnvelopeWithoutAuditLines()];
    private static readonly KinesisFirehoseEvent.FirehoseRecord[] SecondHalf = [.. RealWorkload.Skip(4)];

    private AmazonS3Client? _s3;

    private AmazonS3Client S3 => _s3 ??= moto.CreateClient();

    public void Dispose() => _s3?.Dispose();

    [SkippableFact]
    public async Task Reprocessed_objects_hold_record_for_record_what_the_function_writes_for_the_same_records()
    {
        var bucket = await TwoBackupObjectsAsync();

        var (exit, output, error) = await ReprocessAsync(bucket, "--since", Day, "--until", Day);

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        var outputs = (await bucket.ListAsync("audit/")).Keys.ToArray();
        Assert.Equal(2, outputs.Length);
        Assert.StartsWith(Partition + "reprocess-" + $"{StreamName}-1-{Day}-{NameA}-", outputs[0], StringComparison.Ordinal);
        Assert.StartsWith(Partition + "reprocess-" + $"{StreamName}-1-{Day}-{NameB}-", outputs[1], StringComparison.Ordinal);
        Assert.Equal(Expected(FirstHalf)[("pgaudit-demo", "pgaudit-demo-instance-1.0")], await bucket.LinesAsync(outputs[0]));
        Assert.Equal(Expected(SecondHalf)[("pgaudit-demo", "pgaudit-demo-instance-1.0")], await bucket.LinesAsync(outputs[1]));
        Assert.Equal("true", await TagAsync(bucket, Key(NameA)));
        // The control message and the envelope without audit lines are Dropped, as the function drops them.
        Assert.Contains($"records: {RealWorkload.Count + 1} source records read, {RealWorkload.Count - 1} Ok, 2 Dropped (control messages, no audit lines), 0 failed", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Reprocessed_lines_are_the_lines_the_lambda_handler_returns_for_the_same_records()
    {
        var bucket = await TwoBackupObjectsAsync();

        await ReprocessAsync(bucket);

        var written = new List<string>();
        foreach (var key in (await bucket.ListAsync("audit/")).Keys) written.AddRange(await bucket.LinesAsync(key));
        Assert.Equal(HandlerLines([.. FirstHalf, .. SecondHalf]), written);
    }

    [SkippableFact]
    public async Task A_corrupt_record_is_reported_by_object_record_and_bytes_and_the_others_are_written()
    {
        var bucket = await S3Bucket.CreateAsync(S3);
        KinesisFirehoseEvent.FirehoseRecord[] layout =
        [
            RealWorkload[1], Truncated(RealWorkload[2]), RealWorkload[3], Bad("bad-4-gzip-of-something-that-is-not-JSON"), RealWorkload[4],
        ];
        await bucket.PutAsync(Key(NameA), Object(layout));
        var offset = Convert.FromBase64String(RealWorkload[1].Base64EncodedData).Length;
        var cut = Convert.FromBase64String(Truncated(RealWorkload[2]).Base64EncodedData).Length;

        var (exit, output, _) = await ReprocessAsync(bucket);

        Assert.Equal(1, exit);
        var uri = $"s3://{bucket.Name}/{Key(NameA)}";
        Assert.Contains($"failed: {uri} record 2 (bytes {offset}-{offset + cut - 1}): gzip data is truncated", output, StringComparison.Ordinal);
        Assert.Contains($"failed: {uri} record 4 (bytes ", output, StringComparison.Ordinal);
        Assert.Contains("records: 5 source records read, 3 Ok, 0 Dropped (control messages, no audit lines), 2 failed", output, StringComparison.Ordinal);
        var written = (await bucket.ListAsync("audit/")).Keys.Single();
        Assert.Equal(Expected([RealWorkload[1], RealWorkload[3], RealWorkload[4]])[("pgaudit-demo", "pgaudit-demo-instance-1.0")], await bucket.LinesAsync(written));
        Assert.Equal("incomplete", await TagAsync(bucket, Key(NameA)));
    }

    [SkippableFact]
    public async Task A_second_run_writes_nothing_and_again_writes_the_same_objects()
    {
        var bucket = await TwoBackupObjectsAsync();
        await ReprocessAsync(bucket);
        var first = await bucket.ListAsync("audit/");
        var lines = await Task.WhenAll(first.Keys.Select(bucket.LinesAsync));

        var (skipped, skippedOutput, _) = await ReprocessAsync(bucket);
        Assert.Equal(0, skipped);
        Assert.Equal(first, await bucket.ListAsync("audit/"));
        Assert.Contains("2 skipped (reprocessed before", skippedOutput, StringComparison.Ordinal);

        var (again, _, _) = await ReprocessAsync(bucket, "--again");
        Assert.Equal(0, again);
        var second = await bucket.ListAsync("audit/");
        Assert.Equal(first.Keys, second.Keys);
        Assert.Equal(first.Values.Select(v => v.ETag), second.Values.Select(v => v.ETag));
        Assert.Equal(lines, await Task.WhenAll(second.Keys.Select(bucket.LinesAsync)));
    }

    [SkippableFact]
    public async Task Dry_run_writes_and_tags_nothing_but_says_what_it_would_write()
    {
        var bucket = await TwoBackupObjectsAsync();
        var before = await bucket.ListAsync();

        var (exit, output, _) = await ReprocessAsync(bucket, "--dry-run");

        Assert.Equal(0, exit);
        Assert.Equal(before, await bucket.ListAsync());
        Assert.Null(await TagAsync(bucket, Key(NameA)));
        Assert.Contains("2 would be reprocessed", output, StringComparison.Ordinal);
        Assert.Contains("in 2 objects", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Since_and_until_take_the_days_between_them_only()
    {
        var bucket = await TwoBackupObjectsAsync();
        await bucket.PutAsync(Key(NameA, "2026-11-24"), Object(FirstHalf));
        await bucket.PutAsync(Key(NameA, "2026-11-26"), Object(FirstHalf));

        var (exit, output, _) = await ReprocessAsync(bucket, "--since", Day, "--until", Day);

        Assert.Equal(0, exit);
        Assert.Contains("objects: 2 backup objects listed", output, StringComparison.Ordinal);
        Assert.Null(await TagAsync(bucket, Key(NameA, "2026-11-24")));
        Assert.Null(await TagAsync(bucket, Key(NameA, "2026-11-26")));
        Assert.All((await bucket.ListAsync("audit/")).Keys, k => Assert.Contains($"/dt={Day}/", k, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task An_interrupted_run_resumes_with_the_objects_it_had_not_marked()
    {
        var bucket = await TwoBackupObjectsAsync();
        using var cancel = new CancellationTokenSource();
        var options = new ReprocessOptions { Bucket = bucket.Name, Archive = ArchivePrefix.Parse(ArchivePrefix.TemplateDefault, "json"), Transformer = new TransformerOptions() };

        var exit = await ReprocessCommand.RunAsync(S3, options, TextWriter.Null, TextWriter.Null, progress: false, cancel.Token, _ => cancel.Cancel());

        Assert.Equal(130, exit);
        Assert.Equal("true", await TagAsync(bucket, Key(NameA)));
        Assert.Null(await TagAsync(bucket, Key(NameB)));
        var (resumed, output, _) = await ReprocessAsync(bucket);
        Assert.Equal(0, resumed);
        Assert.Contains("1 skipped (reprocessed before: --again takes them again), 1 reprocessed", output, StringComparison.Ordinal);
        Assert.Equal(2, (await bucket.ListAsync("audit/")).Count);
    }

    [SkippableFact]
    public async Task Output_keys_follow_the_streams_prefix_expression_whatever_its_layout()
    {
        var bucket = await TwoBackupObjectsAsync();
        const string fleet = "audit/{format}/fleet/db=!{partitionKeyFromLambda:db_identifier}/day=!{timestamp:yyyy/MM/dd}/!{partitionKeyFromLambda:log_stream}/";

        var (exit, _, _) = await ReprocessAsync(bucket, "--archive-prefix", fleet, "--format", "csv");

        Assert.Equal(0, exit);
        Assert.All((await bucket.ListAsync("audit/")).Keys, k =>
            Assert.StartsWith("audit/csv/fleet/db=pgaudit-demo/day=2026/11/25/pgaudit-demo-instance-1.0/reprocess-", k, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_bucket_that_does_not_exist_is_exit_code_2()
    {
        _ = moto.Endpoint;

        var (exit, _, error) = await CliRun.InvokeAsync(ReprocessCommand.Create(MotoServer.Credentials),
            "reprocess", "--bucket", "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "--endpoint-url", moto.Endpoint);

        Assert.Equal(2, exit);
        Assert.Contains("error: listing s3://no-such-bucket-", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--since", "25.11.2026", "--since: '25.11.2026' is not a day (yyyy-MM-dd)")]
    [InlineData("--backup-prefix", "audit/", "would take in the records reprocess writes")]
    public async Task Usage_errors_are_exit_code_2_before_anything_is_read(string option, string value, string message)
    {
        var (exit, _, error) = await CliRun.InvokeAsync(ReprocessCommand.Create(MotoServer.Credentials),
            "reprocess", "--bucket", "b", "--endpoint-url", "http://127.0.0.1:1", option, value);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Since_after_until_is_a_usage_error()
    {
        var (exit, _, error) = await CliRun.InvokeAsync(ReprocessCommand.Create(MotoServer.Credentials),
            "reprocess", "--bucket", "b", "--endpoint-url", "http://127.0.0.1:1", "--since", "2026-11-26", "--until", "2026-11-25");

        Assert.Equal(2, exit);
        Assert.Contains("--since 2026-11-26 is after --until 2026-11-25", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_backup_prefix_is_where_the_template_has_firehose_write_the_backup()
    {
        var template = File.ReadAllText(Repository.Path("template.yaml"));

        Assert.Contains($"      Prefix: '{ReprocessOptions.DefaultBackupPrefix}dt=!{{timestamp:yyyy-MM-dd}}/'", template, StringComparison.Ordinal);
    }

    /// <summary>The Ok lines of the Lambda handler's response to one Firehose event of these records, in order.</summary>
    private static List<string> HandlerLines(IEnumerable<KinesisFirehoseEvent.FirehoseRecord> records)
    {
        var request = new System.Text.Json.Nodes.JsonObject
        {
            ["invocationId"] = "handler",
            ["deliveryStreamArn"] = $"arn:aws:firehose:us-east-1:123456789012:deliverystream/{StreamName}",
            ["region"] = "us-east-1",
            ["records"] = new System.Text.Json.Nodes.JsonArray([.. records.Select((r, i) => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
            {
                ["recordId"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["approximateArrivalTimestamp"] = r.ApproximateArrivalTimestamp,
                ["data"] = r.Base64EncodedData,
            })]),
        };
        using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(request.ToJsonString()));
        using var output = new PgAuditFirehose.Lambda.Function(new TransformerOptions(), TextWriter.Null).FunctionHandler(input);
        using var response = System.Text.Json.JsonDocument.Parse(output);
        return [.. response.RootElement.GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("result").GetString() == "Ok")
            .SelectMany(r => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(r.GetProperty("data").GetString()!)).Split('\n', StringSplitOptions.RemoveEmptyEntries))];
    }

    private async Task<S3Bucket> TwoBackupObjectsAsync()
    {
        var bucket = await S3Bucket.CreateAsync(S3);
        await bucket.PutAsync(Key(NameA), Object(FirstHalf));
        await bucket.PutAsync(Key(NameB), Object(SecondHalf));
        return bucket;
    }

    private async Task<string?> TagAsync(S3Bucket bucket, string key)
    {
        var tags = (await S3.GetObjectTaggingAsync(new Amazon.S3.Model.GetObjectTaggingRequest { BucketName = bucket.Name, Key = key })).Tagging ?? [];
        return tags.FirstOrDefault(t => t.Key == ReprocessTag.Key)?.Value;
    }

    private Task<(int ExitCode, string Output, string Error)> ReprocessAsync(S3Bucket bucket, params string[] more) =>
        CliRun.InvokeAsync(ReprocessCommand.Create(MotoServer.Credentials),
            ["reprocess", "--bucket", bucket.Name, "--endpoint-url", moto.Endpoint, .. more]);
}
