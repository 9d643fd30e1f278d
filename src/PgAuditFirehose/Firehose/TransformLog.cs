using System.Text.Encodings.Web;
using System.Text.Json;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// One JSON line per failed record, and one per invocation that is at once a structured log line and
/// a CloudWatch Embedded Metric Format document: CloudWatch turns its counts into metrics
/// (namespace <see cref="Namespace"/>, dimension FunctionName) without an SDK call.
/// </summary>
internal sealed class TransformLog(TextWriter writer, string functionName)
{
    public const string Namespace = "PgAuditFirehose";

    /// <summary>The metrics of the invocation line: name and EMF unit.</summary>
    public static readonly (string Name, string Unit)[] Metrics =
    [
        ("Records", "Count"), ("OkRecords", "Count"), ("DroppedRecords", "Count"), ("ProcessingFailedRecords", "Count"),
        ("FailedForSizeRecords", "Count"), ("OverflowedRecords", "Count"), ("AuditLines", "Count"), ("SkippedLines", "Count"),
        ("ParseFailures", "Count"), ("BytesIn", "Bytes"), ("BytesOut", "Bytes"), ("OverflowBytes", "Bytes"), ("Duration", "Milliseconds"),
    ];

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void RecordFailed(string? invocationId, string recordId, string reason) => Write(w =>
    {
        w.WriteString("level", "WARN");
        w.WriteString("message", "record failed");
        w.WriteString("invocationId", invocationId);
        w.WriteString("recordId", recordId);
        w.WriteString("reason", reason);
    });

    public void Batch(string? invocationId, BatchSummary s) => Write(w =>
    {
        WriteEmfMetadata(w);
        w.WriteString("FunctionName", functionName);
        w.WriteString("level", s.ProcessingFailed > 0 ? "WARN" : "INFO");
        w.WriteString("message", "batch transformed");
        w.WriteString("invocationId", invocationId);
        long[] values =
        [
            s.Records, s.Ok, s.Dropped, s.ProcessingFailed, s.FailedForSize, s.Overflowed, s.AuditLines, s.SkippedLines,
            s.ParseFailures, s.BytesIn, s.BytesOut, s.OverflowBytes,
        ];
        for (var i = 0; i < values.Length; i++) w.WriteNumber(Metrics[i].Name, values[i]);
        w.WriteNumber("Duration", Math.Round(s.DurationMs, 3));
        w.WriteNumber("ResponseBytes", s.ResponseBytes);
    });

    private static void WriteEmfMetadata(Utf8JsonWriter w)
    {
        w.WriteStartObject("_aws");
        w.WriteNumber("Timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        w.WriteStartArray("CloudWatchMetrics");
        w.WriteStartObject();
        w.WriteString("Namespace", Namespace);
        w.WriteStartArray("Dimensions");
        w.WriteStartArray();
        w.WriteStringValue("FunctionName");
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteStartArray("Metrics");
        foreach (var (name, unit) in Metrics)
        {
            w.WriteStartObject();
            w.WriteString("Name", name);
            w.WriteString("Unit", unit);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        // One write of a whole line: lines from parallel invocations never interleave.
        writer.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
        writer.Flush();
    }
}
