using System.Globalization;
using System.Text.RegularExpressions;
using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

public partial class DeliveryStreamTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;

    public static TheoryData<string> Formats => ["json", "csv", "parquet"];

    internal static object? Destination(TemplateVariant variant) =>
        variant.Properties("DeliveryStream").At("ExtendedS3DestinationConfiguration");

    private static object? LambdaProcessor(TemplateVariant variant) =>
        Destination(variant).At("ProcessingConfiguration", "Processors").Seq().Single(p => p.At("Type") as string == "Lambda");

    private static string ProcessorParameter(TemplateVariant variant, string name) =>
        LambdaProcessor(variant).At("Parameters").Seq().Single(p => p.At("ParameterName") as string == name).At("ParameterValue").Text(name);

    [Fact]
    public void The_processor_is_the_transformation_function()
    {
        var variant = Template.With();

        Assert.Equal("true", Destination(variant).At("ProcessingConfiguration", "Enabled"));
        var lambdaArn = LambdaProcessor(variant).At("Parameters").Seq().Single(p => p.At("ParameterName") as string == "LambdaArn");
        Assert.True(lambdaArn.At("ParameterValue").IsGetAtt("TransformFunction", "Arn"));
    }

    [Fact]
    public void The_processor_buffer_stays_far_below_the_6_mb_invocation_limit()
    {
        // gzip'd CloudWatch Logs data inflates 5-18x; the response must stay under 6 MB.
        Assert.Equal("0.2", ProcessorParameter(Template.With(), "BufferSizeInMBs"));
        Assert.All(
            Template.Parameters.At("ProcessorBufferSizeInMBs", "AllowedValues").Seq(),
            v => Assert.InRange(double.Parse(v.Text(), CultureInfo.InvariantCulture), 0.2, 1.0));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Compression_and_buffer_follow_the_output_format(string format)
    {
        var destination = Destination(Template.With(("OutputFormat", format)));

        Assert.Equal(format == "parquet" ? "UNCOMPRESSED" : "GZIP", destination.At("CompressionFormat"));
        // Dynamic partitioning and record format conversion both need at least 64 MB.
        Assert.True(int.Parse(destination.At("BufferingHints", "SizeInMBs").Text(), CultureInfo.InvariantCulture) >= 64);
        Assert.Equal("300", destination.At("BufferingHints", "IntervalInSeconds"));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Parquet_conversion_exists_only_in_parquet_mode_and_reads_the_audit_table(string format)
    {
        var destination = Destination(Template.With(("OutputFormat", format)));

        Assert.Equal(format == "parquet", destination.Has("DataFormatConversionConfiguration"));
        if (format != "parquet")
        {
            return;
        }

        var conversion = destination.At("DataFormatConversionConfiguration");
        Assert.Equal("true", conversion.At("Enabled"));
        Assert.True(conversion.At("InputFormatConfiguration", "Deserializer").Has("OpenXJsonSerDe"));
        Assert.True(conversion.At("OutputFormatConfiguration", "Serializer").Has("ParquetSerDe"));
        var schema = conversion.At("SchemaConfiguration");
        Assert.True(schema.At("DatabaseName").IsRef("GlueDatabase"));
        Assert.True(schema.At("TableName").IsRef("AuditTable"));
        Assert.True(schema.At("RoleARN").IsGetAtt("DeliveryStreamRole", "Arn"));
        Assert.Equal("LATEST", schema.At("VersionId"));
    }

    [Fact]
    public void Dynamic_partitioning_uses_only_keys_the_function_emits()
    {
        var destination = Destination(Template.With());
        var keys = PartitionKeyFromLambda().Matches(destination.At("Prefix").Text()).Select(m => m.Groups["key"].Value);

        Assert.Equal("true", destination.At("DynamicPartitioningConfiguration", "Enabled"));
        Assert.Equal(["account_id", "db_identifier"], keys);
    }

    [Fact]
    public void Error_output_is_separated_by_error_type_without_lambda_keys()
    {
        var errorPrefix = Destination(Template.With()).At("ErrorOutputPrefix").Text();

        Assert.StartsWith("errors/!{firehose:error-output-type}/", errorPrefix, StringComparison.Ordinal);
        Assert.DoesNotContain("partitionKeyFromLambda", errorPrefix, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void The_prefix_directories_are_the_glue_tables_storage_location_template(string format)
    {
        var variant = Template.With(("OutputFormat", format));
        var prefix = Destination(variant).At("Prefix").Text();
        var table = variant.Properties("AuditTable").At("TableInput");
        var template = table.At("Parameters", "storage.location.template").Text();

        var byCluster = variant.Properties("AuditByClusterTable").At("TableInput", "Parameters", "storage.location.template").Text();

        // cluster <- the function's db_identifier key, account <- its account_id key; dt <- the arrival day.
        var timestamp = Timestamp().Match(prefix);
        var directories = prefix[..(prefix.LastIndexOf('/') + 1)]
            .Replace("!{partitionKeyFromLambda:db_identifier}", "${cluster}", StringComparison.Ordinal)
            .Replace("!{partitionKeyFromLambda:account_id}", "${account}", StringComparison.Ordinal)
            .Replace(timestamp.Value, "${dt}", StringComparison.Ordinal);

        Assert.Equal("s3://${ArchiveBucket}/" + directories, byCluster);
        Assert.StartsWith(template, byCluster, StringComparison.Ordinal);
        Assert.Equal(timestamp.Groups["format"].Value, table.At("Parameters", "projection.dt.format"));
        Assert.Equal("s3://${ArchiveBucket}/" + $"audit/{format}/", table.At("StorageDescriptor", "Location"));
    }

    [Fact]
    public void The_instance_is_no_partition_so_a_cluster_is_one_active_partition_per_day()
    {
        var prefix = Destination(Template.With()).At("Prefix").Text();

        Assert.DoesNotContain("log_stream", prefix, StringComparison.Ordinal);
        Assert.EndsWith("/", prefix, StringComparison.Ordinal);
    }

    [Fact]
    public void Firehose_logs_delivery_errors_to_its_own_log_stream()
    {
        var logging = Destination(Template.With()).At("CloudWatchLoggingOptions");

        Assert.Equal("true", logging.At("Enabled"));
        Assert.True(logging.At("LogGroupName").IsRef("DeliveryStreamLogGroup"));
        Assert.True(logging.At("LogStreamName").IsRef("DeliveryStreamLogStream"));
    }

    [Fact]
    public void Writes_to_the_archive_bucket_with_its_role()
    {
        var destination = Destination(Template.With());

        Assert.True(destination.At("BucketARN").IsGetAtt("ArchiveBucket", "Arn"));
        Assert.True(destination.At("RoleARN").IsGetAtt("DeliveryStreamRole", "Arn"));
    }

    [GeneratedRegex(@"!\{partitionKeyFromLambda:(?<key>[^}]+)\}")]
    private static partial Regex PartitionKeyFromLambda();

    [GeneratedRegex(@"!\{timestamp:(?<format>[^}]+)\}")]
    private static partial Regex Timestamp();
}
