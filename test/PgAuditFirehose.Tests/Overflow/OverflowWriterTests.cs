using System.IO.Compression;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Overflow;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Overflow;

/// <summary>Output that does not fit in the response goes to S3 — here moto's, on 127.0.0.1, with real API calls.</summary>
[Collection(MotoS3Tests.Name)]
public sealed class OverflowWriterTests(MotoS3 moto)
{
    private const string Prefix = "audit/json/cluster=!{partitionKeyFromLambda:db_identifier}/dt=!{timestamp:yyyy-MM-dd}/!{partitionKeyFromLambda:log_stream}-";

    private static readonly byte[] Envelope = SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage(
        "123456789012", Pipeline.LogGroup, Pipeline.LogStream, SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Take(40)));

    private static KinesisFirehoseEvent Batch(int records)
    {
        var request = new KinesisFirehoseEvent { InvocationId = "overflow" };
        for (var i = 0; i < records; i++) request.Records.Add(Pipeline.Record($"rec-{i:D3}", Envelope));
        return request;
    }

    private static (KinesisFirehoseResponse Response, string Log) Run(AmazonS3Client s3, string bucket, KinesisFirehoseEvent request, int maxResponse = 6_000_000)
    {
        using var log = new StringWriter();
        var writer = new OverflowWriter(new S3ObjectStore(s3, bucket), OverflowPrefix.Parse(Prefix));
        var transformer = new BatchTransformer(new TransformerOptions { MaxResponseBytes = maxResponse }, log, writer);
        return (transformer.Transform(request), log.ToString());
    }

    private static async Task<string> NewBucket(AmazonS3Client s3)
    {
        var bucket = "archive-" + Guid.NewGuid().ToString("N")[..12];
        await s3.PutBucketAsync(bucket);
        return bucket;
    }

    private static async Task<List<S3Object>> Objects(AmazonS3Client s3, string bucket) =>
        (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? [];

    private static async Task<string> Text(AmazonS3Client s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [SkippableFact]
    public async Task A_batch_over_six_million_bytes_loses_nothing_its_overflow_is_in_the_record_partitions()
    {
        using var s3 = moto.Client();
        var bucket = await NewBucket(s3);
        var request = Batch(250);

        var (response, log) = Run(s3, bucket, request);
        var everything = Pipeline.Run(request, new TransformerOptions { MaxResponseBytes = int.MaxValue }).Response;

        Assert.DoesNotContain(response.Records, r => r.Result == KinesisFirehoseResponse.TransformedStateProcessingFailed);
        var objects = await Objects(s3, bucket);
        var dropped = response.Records.Count(r => r.Result == KinesisFirehoseResponse.TransformedStateDropped);
        Assert.True(dropped > 0);
        Assert.Equal(dropped, objects.Count);
        Assert.All(objects, o => Assert.StartsWith("audit/json/cluster=prod-db/dt=2022-03-25/prod-db-instance-1.0-overflow-", o.Key, StringComparison.Ordinal));
        Assert.Contains("\"OverflowedRecords\":" + dropped, log, StringComparison.Ordinal);

        // What came back Ok and what went to S3 are, together, exactly the batch's records.
        var delivered = response.Records.Where(r => r.Result == "Ok").Select(Pipeline.Text).ToList();
        foreach (var o in objects) delivered.Add(await Text(s3, bucket, o.Key));
        Assert.Equal(
            everything.Records.Select(Pipeline.Text).Order(StringComparer.Ordinal),
            delivered.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Running_the_same_batch_again_overwrites_instead_of_duplicating()
    {
        using var s3 = moto.Client();
        var bucket = await NewBucket(s3);
        var request = Batch(120);

        Run(s3, bucket, request, maxResponse: 1_000_000);
        var first = (await Objects(s3, bucket)).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        Run(s3, bucket, request, maxResponse: 1_000_000);
        var second = (await Objects(s3, bucket)).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [SkippableFact]
    public async Task A_single_log_event_too_large_for_any_response_goes_to_s3()
    {
        using var s3 = moto.Client();
        var bucket = await NewBucket(s3);
        var statement = string.Concat(Enumerable.Repeat("SELECT 'x'; -- padding padding padding\n\t", 200_000));
        var line = $"2022-03-25 13:52:29 UTC:[local]:postgres@test:[3152]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,\"{statement}\",<none>";
        var data = SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage("1", Pipeline.LogGroup, Pipeline.LogStream, [new("1", 1, line)]));
        var request = new KinesisFirehoseEvent { Records = [Pipeline.Record("huge", data)] };

        var (response, _) = Run(s3, bucket, request);
        var (without, log) = Pipeline.Run(request);

        Assert.Equal(KinesisFirehoseResponse.TransformedStateDropped, response.Records[0].Result);
        using var record = System.Text.Json.JsonDocument.Parse(await Text(s3, bucket, (await Objects(s3, bucket)).Single().Key));
        Assert.Equal(statement.Replace("\n\t", "\n", StringComparison.Ordinal), record.RootElement.GetProperty("statement").GetString());
        Assert.Equal(KinesisFirehoseResponse.TransformedStateProcessingFailed, without.Records[0].Result);
        Assert.Contains("do not fit", log, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_failed_s3_write_fails_only_that_record_with_its_data()
    {
        using var s3 = moto.Client();
        var request = Batch(250);

        var (response, log) = Run(s3, "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], request);

        var failed = response.Records.Where(r => r.Result == KinesisFirehoseResponse.TransformedStateProcessingFailed).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.Equal(Convert.ToBase64String(Envelope), r.Base64EncodedData));
        Assert.Contains("did not fit in the response and writing s3://no-such-bucket", log, StringComparison.Ordinal);
        Assert.Equal(request.Records.Select(r => r.RecordId), response.Records.Select(r => r.RecordId));
        await Task.CompletedTask;
    }
}
