using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using PgAuditFirehose.Records;

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
        ("ServerRecords", "Count"), ("ParseFailures", "Count"), ("BytesIn", "Bytes"), ("BytesOut", "Bytes"), ("OverflowBytes", "Bytes"), ("Duration", "Milliseconds"),
    ];

    // The _aws member never changes: written once.
    private static readonly string EmfMetadata = BuildEmfMetadata();

    public void RecordFailed(string? invocationId, string recordId, string reason)
    {
        var line = new Line();
        line.Text("level", "WARN");
        line.Text("message", "record failed");
        line.Text("invocationId", invocationId);
        line.Text("recordId", recordId);
        line.Text("reason", reason);
        writer.Write(line.End());
        writer.Flush();
    }

    public void Batch(string? invocationId, BatchSummary s)
    {
        var line = new Line();
        line.Raw("_aws", EmfMetadata.Replace("TIMESTAMP", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        line.Text("FunctionName", functionName);
        line.Text("level", s.ProcessingFailed > 0 ? "WARN" : "INFO");
        line.Text("message", "batch transformed");
        line.Text("invocationId", invocationId);
        long[] values =
        [
            s.Records, s.Ok, s.Dropped, s.ProcessingFailed, s.FailedForSize, s.Overflowed, s.AuditLines, s.SkippedLines,
            s.ServerRecords, s.ParseFailures, s.BytesIn, s.BytesOut, s.OverflowBytes,
        ];
        for (var i = 0; i < values.Length; i++) line.Raw(Metrics[i].Name, values[i].ToString(CultureInfo.InvariantCulture));
        line.Raw("Duration", Math.Round(s.DurationMs, 3).ToString("0.###", CultureInfo.InvariantCulture));
        line.Raw("ResponseBytes", s.ResponseBytes.ToString(CultureInfo.InvariantCulture));

        // One write of a whole line: lines from parallel invocations never interleave.
        writer.Write(line.End());
        writer.Flush();
    }

    private static string BuildEmfMetadata()
    {
        var metrics = new StringBuilder();
        foreach (var (name, unit) in Metrics) metrics.Append(metrics.Length == 0 ? "" : ",").Append($"{{\"Name\":\"{name}\",\"Unit\":\"{unit}\"}}");
        return $"{{\"Timestamp\":TIMESTAMP,\"CloudWatchMetrics\":[{{\"Namespace\":\"{Namespace}\",\"Dimensions\":[[\"FunctionName\"]],\"Metrics\":[{metrics}]}}]}}";
    }

    /// <summary>A one-line JSON object, escaped by <see cref="JsonText"/> like the records.</summary>
    private sealed class Line
    {
        // An OutputBuffer, not an ArrayBufferWriter<byte>: that generic would be JIT work at start-up.
        private readonly OutputBuffer _buffer = new();

        public void Text(string name, string? value)
        {
            Name(name);
            if (value is null) Put("null"u8);
            else JsonText.WriteString(_buffer, Encoding.UTF8.GetBytes(value));
        }

        public void Raw(string name, string json)
        {
            Name(name);
            Put(Encoding.UTF8.GetBytes(json));
        }

        public string End()
        {
            Put("}\n"u8);
            var text = Encoding.UTF8.GetString(_buffer.WrittenSpan);
            var array = _buffer.Detach(out var pooled);
            if (pooled) ArrayPool<byte>.Shared.Return(array);
            return text;
        }

        private void Name(string name)
        {
            Put(_buffer.WrittenCount == 0 ? "{"u8 : ","u8);
            JsonText.WriteString(_buffer, Encoding.UTF8.GetBytes(name));
            Put(":"u8);
        }

        private void Put(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer.GetSpan(bytes.Length));
            _buffer.Advance(bytes.Length);
        }
    }
}
