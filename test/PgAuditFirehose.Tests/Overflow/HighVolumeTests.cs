using System.IO.Compression;
using System.Text;
using Amazon.S3.Model;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Overflow;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Overflow;

/// <summary>
/// A real server under pgbench with pgaudit.log = 'all' (Fixtures/real/high-volume.log.gz, from
/// scripts/capture-high-volume.sh), cut into batches of the template's default processor buffer
/// (0.2 MB of gzip'd envelopes): nothing may fail for size in any output mode.
/// </summary>
[Collection(MotoS3Tests.Name)]
public sealed class HighVolumeTests(MotoS3 moto)
{
    private const double TemplateProcessorBufferMb = 0.2;

    private static readonly Lazy<List<byte[]>> Envelopes = new(() =>
    {
        using var gzip = new GZipStream(File.OpenRead(RealLog.PathOf("high-volume.log.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var events = SubscriptionEnvelopeWriter.EventsFromLog(reader.ReadToEnd(), 0);
        return [.. events.Chunk(1000).Select(c => SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage("123456789012", Pipeline.LogGroup, Pipeline.LogStream, c)))];
    });

    private static KinesisFirehoseEvent Batch(int skip)
    {
        var request = new KinesisFirehoseEvent { InvocationId = "high-volume" };
        var bytes = 0;
        foreach (var envelope in Envelopes.Value.Skip(skip))
        {
            if (bytes + envelope.Length > TemplateProcessorBufferMb * 1024 * 1024) break;
            bytes += envelope.Length;
            request.Records.Add(Pipeline.Record($"hv-{skip}-{request.Records.Count:D3}", envelope));
        }

        return request;
    }

    [SkippableTheory]
    [InlineData(OutputFormat.Json, "audit/json/")]
    [InlineData(OutputFormat.Csv, "audit/csv/")]
    [InlineData(OutputFormat.Json, "audit/parquet-overflow/")]
    public async Task At_the_default_buffer_no_record_fails_for_size_and_every_audit_line_is_delivered(OutputFormat format, string root)
    {
        using var s3 = moto.Client();
        var bucket = "hv-" + Guid.NewGuid().ToString("N")[..12];
        await s3.PutBucketAsync(bucket);
        var prefix = OverflowPrefix.Parse(root + "cluster=!{partitionKeyFromLambda:db_identifier}/dt=!{timestamp:yyyy-MM-dd}/!{partitionKeyFromLambda:log_stream}-");
        var options = new TransformerOptions { Format = format };
        var request = Batch(skip: 20);
        Assert.True(request.Records.Count > 3);

        using var log = new StringWriter();
        var transformer = new BatchTransformer(options, log, new OverflowWriter(new S3ObjectStore(s3, bucket), prefix));
        using var input = new MemoryStream(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request, FirehoseJson.Relaxed.KinesisFirehoseEvent));
        using var output = new MemoryStream();
        transformer.Transform(input, output);
        var response = System.Text.Json.JsonSerializer.Deserialize(output.ToArray(), FirehoseJson.Relaxed.KinesisFirehoseResponse)!;

        Assert.True(output.Length <= 6_000_000);
        Assert.DoesNotContain(response.Records, r => r.Result == KinesisFirehoseResponse.TransformedStateProcessingFailed);
        var objects = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? [];
        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.StartsWith(root + "cluster=prod-db/", o.Key, StringComparison.Ordinal));

        var inResponse = response.Records.Where(r => r.Result == "Ok").Sum(r => Lines(Pipeline.Text(r)));
        var inS3 = 0;
        foreach (var o in objects)
        {
            using var body = await s3.GetObjectAsync(bucket, o.Key);
            using var gzip = new GZipStream(body.ResponseStream, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            inS3 += Lines(await reader.ReadToEndAsync());
        }

        var auditLines = Envelopes.Value.Skip(20).Take(request.Records.Count)
            .Sum(e => Lines(Encoding.UTF8.GetString(new GZipStream(new MemoryStream(e), CompressionMode.Decompress).ReadAllBytes()), "AUDIT: "));
        Assert.Equal(auditLines, inResponse + inS3);
    }

    private static int Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    private static int Lines(string envelopeJson, string marker)
    {
        var count = 0;
        for (var i = envelopeJson.IndexOf(marker, StringComparison.Ordinal); i >= 0; i = envelopeJson.IndexOf(marker, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}

internal static class StreamExtensions
{
    public static byte[] ReadAllBytes(this Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
