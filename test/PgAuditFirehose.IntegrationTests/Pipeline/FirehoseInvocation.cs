using System.Text;
using System.Text.Json;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Lambda;

namespace PgAuditFirehose.IntegrationTests.Pipeline;

/// <summary>
/// Log entries → CloudWatch Logs envelopes (gzip, a control message first) → a Firehose event →
/// <see cref="Function.FunctionHandler"/> → the response, checked against the Firehose contract and decoded.
/// </summary>
internal sealed class FirehoseInvocation
{
    public const string LogGroup = "/aws/rds/cluster/it-cluster/postgresql";
    public const string LogStream = "it-instance-1.0";
    public const string Owner = "123456789012";
    public const string DbIdentifier = "it-cluster";

    private FirehoseInvocation(int envelopes, List<string> results, string output, string log)
    {
        Envelopes = envelopes;
        Results = results;
        Output = output;
        FunctionLog = log;
    }

    /// <summary>Data envelopes sent (the control message not counted).</summary>
    public int Envelopes { get; }

    /// <summary>Each response record's result, in order.</summary>
    public List<string> Results { get; }

    /// <summary>The Ok records' data, decoded and concatenated in order.</summary>
    public string Output { get; }

    public string FunctionLog { get; }

    public static FirehoseInvocation Run(IReadOnlyList<LogEntry> entries, int eventsPerEnvelope, string logLinePrefix, string outputFormat)
    {
        var payloads = new List<byte[]> { SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.ControlMessage(StderrLog.FirstEventTimestamp)) };
        foreach (var chunk in entries.Chunk(eventsPerEnvelope))
        {
            var events = chunk.Select(e => new SubscriptionEnvelopeWriter.EnvelopeEvent(e.EventId, e.Timestamp, e.Message));
            payloads.Add(SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage(Owner, LogGroup, LogStream, events)));
        }

        var recordIds = payloads.Select((_, i) => $"49654000000000000000000000000000000000000000000000{i:D6}").ToList();
        var request = EventJson(payloads, recordIds);

        // The handler reads its configuration the way the Lambda does, from (these) environment variables.
        var options = TransformerOptions.FromEnvironment(name => name switch
        {
            "OUTPUT_FORMAT" => outputFormat,
            "LOG_LINE_PREFIX" => logLinePrefix,
            _ => null,
        });
        using var log = new StringWriter();
        var function = new Function(options, log);
        using var response = JsonDocument.Parse(function.FunctionHandler(new MemoryStream(request)));

        var records = response.RootElement.GetProperty("records");
        if (records.GetArrayLength() != recordIds.Count) throw new InvalidOperationException($"{records.GetArrayLength()} response records for {recordIds.Count} input records");
        var results = new List<string>();
        var output = new StringBuilder();
        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            var id = record.GetProperty("recordId").GetString();
            if (id != recordIds[index]) throw new InvalidOperationException($"response record {index} has id {id}, expected {recordIds[index]}");
            var result = record.GetProperty("result").GetString()!;
            results.Add(result);
            if (result == "Ok")
            {
                CheckPartitionKeys(record, id);
                output.Append(Encoding.UTF8.GetString(Convert.FromBase64String(record.GetProperty("data").GetString()!)));
            }

            index++;
        }

        return new FirehoseInvocation(payloads.Count - 1, results, output.ToString(), log.ToString());
    }

    private static void CheckPartitionKeys(JsonElement record, string? id)
    {
        var keys = record.GetProperty("metadata").GetProperty("partitionKeys");
        var db = keys.GetProperty("db_identifier").GetString();
        var stream = keys.GetProperty("log_stream").GetString();
        if (db != DbIdentifier || stream != LogStream)
        {
            throw new InvalidOperationException($"record {id}: partition keys db_identifier={db} log_stream={stream}, expected {DbIdentifier} and {LogStream}");
        }
    }

    // The event exactly as Firehose sends it to a transformation Lambda.
    private static byte[] EventJson(List<byte[]> payloads, List<string> recordIds)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("invocationId", "3f1e2d4c-integration-test");
            w.WriteString("deliveryStreamArn", "arn:aws:firehose:us-east-1:123456789012:deliverystream/pgaudit-it");
            w.WriteString("region", "us-east-1");
            w.WriteStartArray("records");
            for (var i = 0; i < payloads.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("recordId", recordIds[i]);
                w.WriteNumber("approximateArrivalTimestamp", StderrLog.FirstEventTimestamp + i);
                w.WriteBase64String("data", payloads[i]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
