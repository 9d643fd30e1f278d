using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace PgAuditFirehose.Benchmarks;

/// <summary>Inflated megabytes per second on one core: the batch's inflated size over the mean time.</summary>
internal sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "Inflated MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Inflated CloudWatch Logs data processed per second (MB = 10^6 bytes)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is null || benchmarkCase.Parameters["Batch"] is not Scenario scenario) return "-";
        return (scenario.InflatedBytes / 1e6 / (report.ResultStatistics.Mean / 1e9)).ToString("F0", CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}

/// <summary>Allocated bytes per log event of the batch.</summary>
internal sealed class AllocationPerEventColumn : IColumn
{
    public string Id => nameof(AllocationPerEventColumn);
    public string ColumnName => "Alloc/event";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Size;
    public string Legend => "Allocated bytes per CloudWatch Logs event in the batch";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        if (report?.GcStats is not { } gc || benchmarkCase.Parameters["Batch"] is not Scenario scenario) return "-";
        var bytes = gc.GetBytesAllocatedPerOperation(benchmarkCase);
        return bytes is null ? "-" : (bytes.Value / (double)scenario.Events).ToString("F0", CultureInfo.InvariantCulture) + " B";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
