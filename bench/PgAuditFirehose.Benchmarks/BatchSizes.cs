using System.Globalization;
using System.IO.Compression;
using System.Text;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Benchmarks;

/// <summary>
/// `--batch-sizes LOG.gz`: cuts a real server's log into Firehose batches of the processor buffer
/// sizes Firehose allows and reports, per output format, how big the response would be and how many
/// records would not fit in 6,000,000 bytes (and so go to S3 through the overflow writer).
/// </summary>
internal static class BatchSizes
{
    private const int EventsPerEnvelope = 500;

    public static void Report(string logGz)
    {
        using var gzip = new GZipStream(File.OpenRead(logGz), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var events = SubscriptionEnvelopeWriter.EventsFromLog(reader.ReadToEnd(), 0).ToList();
        var envelopes = events.Chunk(EventsPerEnvelope)
            .Select(chunk => SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage("123456789012", "/aws/rds/cluster/bench-db/postgresql", "bench-db-instance-1.0", chunk)))
            .ToList();

        Console.WriteLine($"{Path.GetFileName(logGz)}: {events.Count} log entries, {EventsPerEnvelope} per envelope");
        Console.WriteLine("| format | processor buffer | records | gzip'd data | inflated | audit lines | output (all records) | response | records over 6 MB → S3 | output gzip'd per record |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var format in new[] { OutputFormat.Json, OutputFormat.Csv })
        {
            foreach (var bufferMb in new[] { 0.2, 1.0, 3.0 })
            {
                var batch = Batch(envelopes, (int)(bufferMb * 1024 * 1024));
                Row(format, bufferMb, batch);
            }
        }
    }

    private static KinesisFirehoseEvent Batch(List<byte[]> envelopes, int bytes)
    {
        var request = new KinesisFirehoseEvent { InvocationId = "batch-sizes" };
        var total = 0;
        foreach (var envelope in envelopes)
        {
            if (total + envelope.Length > bytes && request.Records.Count > 0) break;
            total += envelope.Length;
            request.Records.Add(new KinesisFirehoseEvent.FirehoseRecord
            {
                RecordId = string.Create(CultureInfo.InvariantCulture, $"r{request.Records.Count:D4}"),
                ApproximateArrivalTimestamp = 1_700_000_000_000,
                Base64EncodedData = Convert.ToBase64String(envelope),
            });
        }

        return request;
    }

    private static void Row(OutputFormat format, double bufferMb, KinesisFirehoseEvent batch)
    {
        var options = new TransformerOptions { Format = format };
        using var log = new StringWriter();
        var transformer = new BatchTransformer(options, log);
        var response = transformer.Transform(batch);
        using var unlimitedLog = new StringWriter();
        var unlimited = new BatchTransformer(options with { MaxResponseBytes = int.MaxValue }, unlimitedLog);
        var all = unlimited.Transform(batch);

        var gz = batch.Records.Sum(r => r.Base64EncodedData.Length * 3L / 4);
        var inflated = Batches.InflatedBytes(batch);
        var output = all.Records.Sum(r => r.Base64EncodedData.Length * 3L / 4);
        var gzipped = all.Records.Where(r => r.Result == "Ok").Sum(r => (long)PgAuditFirehose.Overflow.OverflowWriter.Gzip(Convert.FromBase64String(r.Base64EncodedData)).Length);
        var lines = Field(unlimitedLog.ToString(), "AuditLines");
        var responseBytes = Field(log.ToString(), "ResponseBytes");
        var unlimitedResponse = Field(unlimitedLog.ToString(), "ResponseBytes");
        var overflow = response.Records.Count(r => r.Result == KinesisFirehoseResponse.TransformedStateProcessingFailed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {format.ToString().ToLowerInvariant()} | {bufferMb} MB | {batch.Records.Count} | {gz / 1e6:F2} MB | {inflated / 1e6:F1} MB | {lines} | {output / 1e6:F1} MB ({unlimitedResponse / 1e6:F1} MB as a response) | {responseBytes / 1e6:F2} MB | {overflow} of {batch.Records.Count} | {gzipped / 1e6:F2} MB |"));
    }

    private static long Field(string log, string name)
    {
        var line = log.Split('\n').Single(l => l.Contains("\"_aws\"", StringComparison.Ordinal));
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        return (long)doc.RootElement.GetProperty(name).GetDouble();
    }
}
