using System.Text.Json;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Firehose;

/// <summary>
/// The invocation line must be a CloudWatch Embedded Metric Format document as the specification
/// defines it: a JSON object whose _aws.CloudWatchMetrics name a namespace, dimension sets and
/// metrics, each of which is a top-level member (numbers for metrics).
/// </summary>
public class EmbeddedMetricFormatTests
{
    private static readonly string[] Units = ["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Count", "Bytes/Second", "Count/Second", "Percent", "None"];

    private static string InvocationLine()
    {
        var (_, log) = Pipeline.Run(Pipeline.RealWorkloadEvent());
        return log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.Contains("\"_aws\"", StringComparison.Ordinal));
    }

    /// <summary>Returns null when <paramref name="line"/> is valid EMF, else why not.</summary>
    private static string? EmfProblem(string line)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException e)
        {
            return "not a JSON object: " + e.Message;
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("_aws", out var aws)) return "no _aws member";
        if (!aws.TryGetProperty("Timestamp", out var ts) || ts.ValueKind != JsonValueKind.Number) return "no numeric _aws.Timestamp";
        foreach (var directive in aws.GetProperty("CloudWatchMetrics").EnumerateArray())
        {
            var ns = directive.GetProperty("Namespace").GetString();
            if (string.IsNullOrEmpty(ns) || ns.Length > 1024) return "bad namespace";
            foreach (var set in directive.GetProperty("Dimensions").EnumerateArray())
            {
                if (set.GetArrayLength() > 30) return "more than 30 dimensions";
                foreach (var key in set.EnumerateArray())
                {
                    if (!root.TryGetProperty(key.GetString()!, out var value) || value.ValueKind != JsonValueKind.String) return $"dimension {key} is not a top-level string";
                }
            }

            var metrics = directive.GetProperty("Metrics").EnumerateArray().ToList();
            if (metrics.Count is 0 or > 100) return "0 or more than 100 metrics";
            foreach (var metric in metrics)
            {
                var name = metric.GetProperty("Name").GetString()!;
                if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number) return $"metric {name} is not a top-level number";
                if (metric.TryGetProperty("Unit", out var unit) && !Units.Contains(unit.GetString())) return $"unit {unit} is not an EMF unit";
            }
        }

        return null;
    }

    [Fact]
    public void Invocation_line_is_valid_embedded_metric_format()
    {
        Assert.Null(EmfProblem(InvocationLine()));
    }

    [Fact]
    public void Metrics_are_the_batch_counts()
    {
        var (response, log) = Pipeline.Run(Pipeline.RealWorkloadEvent());
        var line = JsonDocument.Parse(log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.Contains("\"_aws\"", StringComparison.Ordinal))).RootElement;

        Assert.Equal("PgAuditFirehose", line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString());
        Assert.Equal(response.Records.Count, line.GetProperty("Records").GetInt32());
        Assert.Equal(response.Records.Count(r => r.Result == "Dropped"), line.GetProperty("DroppedRecords").GetInt32());
        var records = Pipeline.JsonRecords(response).ToList();
        Assert.Equal(records.Count(r => r.GetProperty("record_type").GetString() == "AUDIT"), line.GetProperty("AuditLines").GetInt32());
        Assert.Equal(records.Count(r => r.GetProperty("record_type").GetString() != "AUDIT"), line.GetProperty("ServerRecords").GetInt32());
        Assert.True(line.GetProperty("ServerRecords").GetInt32() > 0);
        Assert.Equal("local", line.GetProperty("FunctionName").GetString());
    }

    [Fact]
    public void The_same_line_through_the_managed_runtimes_console_writer_would_not_be_emf()
    {
        // Amazon.Lambda.RuntimeSupport's text log format: "<time>\t<request id>\tinfo\t<message>" for Console.WriteLine.
        var line = InvocationLine();
        var prefixed = $"2026-11-25T10:00:00.000Z\t3f1c7e0e-0000-4000-8000-000000000000\tinfo\t{line}";

        Assert.NotNull(EmfProblem(prefixed));
    }

    [Fact]
    public void The_function_writes_its_log_to_raw_standard_output_not_the_runtime_console_writer()
    {
        using var writer = PgAuditFirehose.Lambda.Function.RawStandardOutput();

        var stream = Assert.IsType<StreamWriter>(writer).BaseStream;
        Assert.NotSame(Console.Out, writer);
        Assert.True(stream.CanWrite);
    }
}
