using System.Globalization;
using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>The alarms that fire before a Firehose quota of a fleet's collector is reached.</summary>
public class QuotaAlarmTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;

    /// <summary>Firehose's default active partitions per stream with dynamic partitioning.</summary>
    private const int ActivePartitionsQuota = 500;

    [Fact]
    public void Active_partitions_alarm_below_the_default_quota_on_the_streams_partition_count()
    {
        var alarm = Template.With().Properties("ActivePartitionsAlarm");

        Assert.Equal("AWS/Firehose", alarm.At("Namespace"));
        Assert.Equal("PartitionCount", alarm.At("MetricName"));
        Assert.Equal("Maximum", alarm.At("Statistic"));
        Assert.True(alarm.At("Dimensions").Seq().Single().At("Value").IsRef("DeliveryStream"));
        var threshold = int.Parse(alarm.At("Threshold").Text(), CultureInfo.InvariantCulture);
        Assert.InRange(threshold, 1, ActivePartitionsQuota - 1);
        Assert.Equal("GreaterThanThreshold", alarm.At("ComparisonOperator"));
    }

    [Fact]
    public void Ingestion_alarm_compares_bytes_records_and_put_requests_with_the_streams_own_limits()
    {
        var alarm = Template.With().Properties("IngestionNearLimitAlarm");
        var metrics = alarm.At("Metrics").Seq();
        string? MetricOf(string id) => metrics.Single(m => m.At("Id") as string == id).At("MetricStat", "Metric", "MetricName") as string;

        var returned = Assert.Single(metrics, m => m.At("ReturnData") as string == "true");
        var expression = returned.At("Expression").Text();
        foreach (var (used, limit) in new[] { ("bytes", "bytesLimit"), ("records", "recordsLimit"), ("puts", "putsLimit") })
        {
            Assert.Contains($"{used} / 300 / {limit}", expression, StringComparison.Ordinal);
        }

        Assert.Equal(
            ["IncomingBytes", "BytesPerSecondLimit", "IncomingRecords", "RecordsPerSecondLimit", "IncomingPutRequests", "PutRequestsPerSecondLimit"],
            new[] { "bytes", "bytesLimit", "records", "recordsLimit", "puts", "putsLimit" }.Select(MetricOf));
        Assert.All(metrics.Where(m => m.Has("MetricStat")), m =>
        {
            Assert.Equal("300", m.At("MetricStat", "Period"));
            Assert.True(m.At("MetricStat", "Metric", "Dimensions").Seq().Single().At("Value").IsRef("DeliveryStream"));
        });
        Assert.Equal("0.8", alarm.At("Threshold"));
    }
}
