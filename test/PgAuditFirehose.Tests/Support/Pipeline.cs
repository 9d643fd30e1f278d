using System.Text;
using System.Text.Json;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Tests.Support;

/// <summary>Builds Firehose events from real log text and runs them through the batch transformer.</summary>
internal static class Pipeline
{
    public const string LogGroup = "/aws/rds/cluster/prod-db/postgresql";
    public const string LogStream = "prod-db-instance-1.0";

    public static KinesisFirehoseEvent.FirehoseRecord Record(string id, byte[] data) =>
        new() { RecordId = id, ApproximateArrivalTimestamp = 1648216304378, Base64EncodedData = Convert.ToBase64String(data) };

    /// <summary>One gzip'd envelope per chunk of <paramref name="perEnvelope"/> events.</summary>
    public static KinesisFirehoseEvent Event(IEnumerable<SubscriptionEnvelopeWriter.EnvelopeEvent> events, int perEnvelope, bool control = true)
    {
        var request = new KinesisFirehoseEvent { InvocationId = "test-invocation" };
        if (control) request.Records.Add(Record("control", SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.ControlMessage(1))));
        foreach (var chunk in events.Chunk(perEnvelope))
        {
            var json = SubscriptionEnvelopeWriter.DataMessage("123456789012", LogGroup, LogStream, chunk);
            request.Records.Add(Record($"r{request.Records.Count:D3}", SubscriptionEnvelopeWriter.Gzip(json)));
        }

        return request;
    }

    public static KinesisFirehoseEvent RealWorkloadEvent(int perEnvelope = 25) =>
        Event(SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0), perEnvelope);

    public static (KinesisFirehoseResponse Response, string Log) Run(KinesisFirehoseEvent request, TransformerOptions? options = null)
    {
        using var log = new StringWriter();
        var transformer = new BatchTransformer(options ?? new TransformerOptions(), log);
        var response = transformer.Transform(request);
        return (response, log.ToString());
    }

    /// <summary>The whole response as the handler writes it.</summary>
    public static byte[] RunToBytes(KinesisFirehoseEvent request, TransformerOptions? options = null)
    {
        using var input = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(request, FirehoseJson.Relaxed.KinesisFirehoseEvent));
        using var output = new MemoryStream();
        var transformer = new BatchTransformer(options ?? new TransformerOptions(), TextWriter.Null);
        transformer.Transform(input, output);
        return output.ToArray();
    }

    public static string Text(KinesisFirehoseResponse.FirehoseRecord record) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(record.Base64EncodedData));

    public static IEnumerable<JsonElement> JsonRecords(KinesisFirehoseResponse response) =>
        response.Records.Where(r => r.Result == KinesisFirehoseResponse.TransformedStateOk)
            .SelectMany(r => Text(r).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone());
}
