using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PgAuditFirehose.Cli.Tests.Servers;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Cli.Tests.Replay;

/// <summary>
/// Error objects the way Firehose writes them for ProcessingFailed records, built from the fixture events'
/// real records (gzip'd CloudWatch Logs envelopes of a real PostgreSQL 15 + pgaudit server).
/// </summary>
internal static class FirehoseErrorObjects
{
    public const string Day = "2026-11-25";

    public static IReadOnlyList<KinesisFirehoseEvent.FirehoseRecord> RealWorkload { get; } = Records("real-workload.json");

    /// <summary>bad-records.json: one good record, then not base64, not gzip, truncated gzip, not JSON, not an envelope, empty.</summary>
    public static IReadOnlyList<KinesisFirehoseEvent.FirehoseRecord> BadRecords { get; } = Records("bad-records.json");

    public static string ErrorKey(string name) => $"errors/processing-failed/dt={Day}/{name}";

    /// <summary>One JSON line per record, with Firehose's fields.</summary>
    public static string Line(KinesisFirehoseEvent.FirehoseRecord record) => new JsonObject
    {
        ["attemptsMade"] = 4,
        ["arrivalTimestamp"] = record.ApproximateArrivalTimestamp,
        ["errorCode"] = "Lambda.FunctionError",
        ["errorMessage"] = "The Lambda function was successfully invoked but it returned an error result.",
        ["attemptEndingTimestamp"] = record.ApproximateArrivalTimestamp + 61_000,
        ["rawData"] = record.Base64EncodedData,
        ["lambdaArn"] = "arn:aws:lambda:us-east-1:123456789012:function:pgaudit-firehose-TransformFunction:$LATEST",
    }.ToJsonString();

    public static byte[] Object(IEnumerable<string> lines, bool gzip = false)
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        if (!gzip) return text;
        using var buffer = new MemoryStream();
        using (var z = new GZipStream(buffer, CompressionLevel.Optimal)) z.Write(text);
        return buffer.ToArray();
    }

    /// <summary>What the Lambda itself would have delivered for these records: the audit lines of each partition, in order.</summary>
    public static Dictionary<(string Cluster, string Stream), List<string>> Expected(IEnumerable<KinesisFirehoseEvent.FirehoseRecord> records, TransformerOptions? options = null)
    {
        var request = new KinesisFirehoseEvent { InvocationId = "expected" };
        foreach (var r in records) request.Records.Add(r);
        var transformer = new BatchTransformer(options ?? new TransformerOptions(), TextWriter.Null);
        var expected = new Dictionary<(string, string), List<string>>();
        foreach (var r in transformer.Transform(request).Records.Where(r => r.Result == KinesisFirehoseResponse.TransformedStateOk))
        {
            var partition = (r.Metadata!.PartitionKeys["db_identifier"], r.Metadata.PartitionKeys["log_stream"]);
            if (!expected.TryGetValue(partition, out var lines)) expected.Add(partition, lines = []);
            lines.AddRange(Encoding.UTF8.GetString(Convert.FromBase64String(r.Base64EncodedData)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        return expected;
    }

    private static List<KinesisFirehoseEvent.FirehoseRecord> Records(string file)
    {
        using var stream = File.OpenRead(Repository.Path("events", file));
        return [.. JsonSerializer.Deserialize(stream, FirehoseJson.Relaxed.KinesisFirehoseEvent)!.Records];
    }
}
