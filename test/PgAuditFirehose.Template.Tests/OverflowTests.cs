using PgAuditFirehose.Firehose;
using PgAuditFirehose.Records;
using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>
/// Output too large for the 6 MB response: the function writes it to the archive bucket itself
/// (OVERFLOW_BUCKET, OVERFLOW_PREFIX), where a Glue table reads it — the audit table in json/csv
/// mode, a JSON table of its own in Parquet mode.
/// </summary>
public class OverflowTests
{
    private const string FunctionId = "TransformFunction";
    private static readonly CfnTemplate Template = CfnTemplate.Current;

    public static TheoryData<string> Formats => ["json", "csv", "parquet"];

    private static object? Variables(TemplateVariant variant) => variant.Properties(FunctionId).At("Environment", "Variables");

    internal static string OverflowPrefix(TemplateVariant variant) => Variables(variant).At("OVERFLOW_PREFIX").Text("OVERFLOW_PREFIX");

    /// <summary>The directory part of a prefix (up to its dt= partition), e.g. audit/json/.</summary>
    internal static string Directory(string prefix) => prefix[..prefix.IndexOf("dt=", StringComparison.Ordinal)];

    [Theory]
    [MemberData(nameof(Formats))]
    public void The_function_overflows_into_the_archive_bucket(string format)
    {
        Assert.True(Variables(Template.With(("OutputFormat", format))).At("OVERFLOW_BUCKET").IsRef("ArchiveBucket"));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public void In_json_and_csv_mode_the_overflow_prefix_is_exactly_the_delivery_streams_prefix(string format)
    {
        var variant = Template.With(("OutputFormat", format));

        Assert.Equal(DeliveryStreamTests.Destination(variant).At("Prefix").Text(), OverflowPrefix(variant));
    }

    [Fact]
    public void In_parquet_mode_overflow_has_the_same_partitions_outside_the_parquet_tables_location()
    {
        var variant = Template.With(("OutputFormat", "parquet"));
        var prefix = DeliveryStreamTests.Destination(variant).At("Prefix").Text();
        var overflow = OverflowPrefix(variant);
        var parquetLocation = variant.Properties("AuditTable").At("TableInput", "StorageDescriptor", "Location").Text();

        Assert.Equal("audit/parquet-overflow/", Directory(overflow));
        Assert.Equal(prefix[Directory(prefix).Length..], overflow[Directory(overflow).Length..]);
        // The function's JSON objects must never be among the Parquet table's objects.
        Assert.False(("s3://${ArchiveBucket}/" + overflow).StartsWith(parquetLocation, StringComparison.Ordinal), $"{overflow} is under {parquetLocation}");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void The_function_accepts_the_templates_environment_and_overflows_into_a_projected_partition_of_the_table_that_reads_it(string format)
    {
        var variant = Template.With(("OutputFormat", format));
        var environment = Variables(variant).Map();
        // Only the bucket name is a reference; any name stands for it here.
        string? Variable(string name) =>
            !environment.TryGetValue(name, out var value) ? null
            : value.IsRef("ArchiveBucket") ? "archive-bucket"
            : value.Text(name);

        var options = TransformerOptions.FromEnvironment(Variable);
        var arrival = new DateTimeOffset(2026, 11, 25, 23, 59, 59, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var prefix = options.OverflowPrefix!.Expand([new("db_identifier", "database-1"), new("account_id", "111111111111"), new("log_stream", "pg-instance-1.0")], arrival);

        Assert.Equal("archive-bucket", options.OverflowBucket);
        var table = variant.Properties(format == "parquet" ? "OverflowTable" : "AuditTable").At("TableInput");
        var day = table.At("Parameters", "storage.location.template").Text().Replace("${dt}", "2026-11-25", StringComparison.Ordinal);
        Assert.Equal(day + "account=111111111111/cluster=database-1/", "s3://${ArchiveBucket}/" + prefix);
        if (format != "parquet")
        {
            var cluster = variant.Properties("AuditByClusterTable").At("TableInput", "Parameters", "storage.location.template").Text()
                .Replace("${dt}", "2026-11-25", StringComparison.Ordinal)
                .Replace("${account}", "111111111111", StringComparison.Ordinal)
                .Replace("${cluster}", "database-1", StringComparison.Ordinal);
            Assert.Equal(cluster, "s3://${ArchiveBucket}/" + prefix);
        }

        // That table reads what the function writes: JSON lines (also in Parquet mode) or CSV lines.
        var serde = table.At("StorageDescriptor", "SerdeInfo", "SerializationLibrary").Text();
        Assert.Equal(
            options.Format == OutputFormat.Csv ? "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe" : "org.openx.data.jsonserde.JsonSerDe",
            serde);
    }
}
