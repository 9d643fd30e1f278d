using System.Text.Encodings.Web;
using System.Text.Json;

namespace PgAuditFirehose.Firehose;

/// <summary>One JSON line per failed record and one per invocation, for CloudWatch Logs Insights.</summary>
internal sealed class TransformLog(TextWriter writer)
{
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
        w.WriteString("level", s.ProcessingFailed > 0 ? "WARN" : "INFO");
        w.WriteString("message", "batch transformed");
        w.WriteString("invocationId", invocationId);
        w.WriteNumber("records", s.Records);
        w.WriteNumber("ok", s.Ok);
        w.WriteNumber("dropped", s.Dropped);
        w.WriteNumber("processingFailed", s.ProcessingFailed);
        w.WriteNumber("failedForSize", s.FailedForSize);
        w.WriteNumber("auditLines", s.AuditLines);
        w.WriteNumber("skippedLines", s.SkippedLines);
        w.WriteNumber("parseFailures", s.ParseFailures);
        w.WriteNumber("bytesIn", s.BytesIn);
        w.WriteNumber("bytesOut", s.BytesOut);
        w.WriteNumber("responseBytes", s.ResponseBytes);
        w.WriteNumber("durationMs", Math.Round(s.DurationMs, 3));
    });

    private void Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
