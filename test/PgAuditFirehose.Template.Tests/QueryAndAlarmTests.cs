using System.Text.Json;
using System.Text.RegularExpressions;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Records;
using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>The Athena workgroup, the named queries a security engineer needs, the alarms.</summary>
public partial class QueryAndAlarmTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;

    // SQL words and functions the named queries use, and their aliases; anything else must be a column.
    private static readonly HashSet<string> SqlWords = new(StringComparer.Ordinal)
    {
        "select", "from", "where", "and", "or", "not", "is", "null", "as", "order", "by", "desc", "asc", "limit",
        "group", "interval", "day", "hour", "count", "min", "max", "from_unixtime", "to_unixtime", "date_format",
        "current_date", "current_timestamp", "event_time", "audit_lines", "first_seen", "last_seen", "union", "all",
        "in", "case", "when", "then", "end", "coalesce", "strpos", "arbitrary", "join", "on", "between",
        // The queries' own names: table aliases and result columns.
        "a", "e", "failures", "sessions", "errors", "error", "a_message", "a_detail",
        "with", "lines", "l", "r", "exists", "regexp_like", "reprocessed",
    };

    private static readonly string[] NamedQueryIds =
        [.. Template.Resources.Where(r => r.Value.At("Type") as string == "AWS::Athena::NamedQuery").Select(r => r.Key)];

    public static TheoryData<string> NamedQueries => new(NamedQueryIds);

    /// <summary>A variant that creates the query: the defaults, or Parquet mode for the overflow query.</summary>
    private static TemplateVariant VariantWith(string queryId) =>
        Template.With().Creates(queryId) ? Template.With() : Template.With(("OutputFormat", "parquet"));

    [Fact]
    public void There_are_named_queries_for_each_security_question()
    {
        var names = Template.With().ResourcesOfType("AWS::Athena::NamedQuery").Select(q => q.Resource.At("Properties", "Name").Text()).ToList();

        Assert.Equal(10, names.Count);
        Assert.Contains(names, n => n.Contains("failed logins by user and host", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("sessions without SSL", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("failed audited statements", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("errors by SQLSTATE", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("DDL in the last 24 hours", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("role and privilege changes", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("access to a given table", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("activity by user", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("failed to parse", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("each audit line once after reprocess", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(NamedQueries))]
    public void A_named_query_reads_the_audit_table_in_the_workgroup_and_prunes_by_day(string queryId)
    {
        var query = VariantWith(queryId).Properties(queryId);
        var sql = query.At("QueryString").Text();

        Assert.True(query.At("Database").IsRef("GlueDatabase"));
        Assert.True(query.At("WorkGroup").IsRef("AthenaWorkGroup"));
        Assert.Contains("FROM \"${GlueDatabase}\".\"${AuditTable}\"", sql, StringComparison.Ordinal);
        Assert.Matches(@"WHERE dt >= date_format\(current_date - INTERVAL '\d+' DAY, '%Y-%m-%d'\)", sql);
    }

    [Theory]
    [MemberData(nameof(NamedQueries))]
    public void A_named_query_uses_only_columns_every_output_format_has(string queryId)
    {
        var sql = VariantWith(queryId).Properties(queryId).At("QueryString").Text();
        // audit_records is partitioned by dt alone (the fleet layout): account and cluster are columns of audit_records_by_cluster only.
        var columns = AuditColumns.Csv.Select(c => c.Name).Concat(["dt"]).ToHashSet(StringComparer.Ordinal);
        var withoutLiterals = Literal().Replace(sql, " ");

        var unknown = Identifier().Matches(withoutLiterals).Select(m => m.Value)
            .Where(word => !SqlWords.Contains(word.ToLowerInvariant()) && !columns.Contains(word))
            .Distinct().ToList();
        Assert.True(unknown.Count == 0, $"{queryId} uses unknown identifiers: {string.Join(", ", unknown)}");
    }

    [Theory]
    [InlineData("json", false)]
    [InlineData("csv", false)]
    [InlineData("parquet", true)]
    public void Parquet_mode_has_a_named_query_over_both_tables(string format, bool expected)
    {
        var variant = Template.With(("OutputFormat", format));
        var queries = variant.ResourcesOfType("AWS::Athena::NamedQuery").ToList();

        Assert.Equal(expected ? 11 : 10, queries.Count);
        if (!expected)
        {
            Assert.DoesNotContain(queries, q => q.Resource.At("Properties", "QueryString").Text().Contains("OverflowTable", StringComparison.Ordinal));
            return;
        }

        var sql = variant.Properties("AllRecordsWithOverflowQuery").At("QueryString").Text();
        var union = sql.IndexOf("UNION ALL", StringComparison.Ordinal);
        Assert.True(union > 0, sql);
        Assert.Contains("FROM \"${GlueDatabase}\".\"${AuditTable}\"", sql[..union], StringComparison.Ordinal);
        Assert.Contains("FROM \"${GlueDatabase}\".\"${OverflowTable}\"", sql[union..], StringComparison.Ordinal);
        // Each side prunes by day itself.
        Assert.Matches(@"WHERE dt >= ", sql[..union]);
        Assert.Matches(@"WHERE dt >= ", sql[union..]);
    }

    [Theory]
    [InlineData("", "SSE_S3")]
    [InlineData("arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555", "SSE_KMS")]
    public void The_workgroup_enforces_encrypted_results_and_a_scan_limit(string key, string encryption)
    {
        var configuration = Template.With(("KmsKeyArn", key)).Properties("AthenaWorkGroup").At("WorkGroupConfiguration");

        Assert.Equal("true", configuration.At("EnforceWorkGroupConfiguration"));
        Assert.Equal(encryption, configuration.At("ResultConfiguration", "EncryptionConfiguration", "EncryptionOption"));
        Assert.Equal("s3://${AthenaResultsBucket}/results/", configuration.At("ResultConfiguration", "OutputLocation"));
        Assert.Equal("10737418240", configuration.At("BytesScannedCutoffPerQuery"));
    }

    [Theory]
    [InlineData("TransformFunctionErrorsAlarm", "AWS/Lambda", "Errors", "FunctionName", "TransformFunction")]
    [InlineData("TransformFunctionThrottlesAlarm", "AWS/Lambda", "Throttles", "FunctionName", "TransformFunction")]
    [InlineData("DeliveryFreshnessAlarm", "AWS/Firehose", "DeliveryToS3.DataFreshness", "DeliveryStreamName", "DeliveryStream")]
    [InlineData("BackupFreshnessAlarm", "AWS/Firehose", "BackupToS3.DataFreshness", "DeliveryStreamName", "DeliveryStream")]
    [InlineData("ErrorOutputAlarm", "AWS/S3", "PutRequests", "BucketName", "ArchiveBucket")]
    [InlineData("FailedRecordsAlarm", "PgAuditFirehose", "ProcessingFailedRecords", "FunctionName", "TransformFunction")]
    [InlineData("ParseFailuresAlarm", "PgAuditFirehose", "ParseFailures", "FunctionName", "TransformFunction")]
    public void An_alarm_watches_its_metric_of_this_stack(string alarmId, string ns, string metric, string dimension, string resource)
    {
        var alarm = Template.With().Properties(alarmId);

        Assert.Equal(ns, alarm.At("Namespace"));
        Assert.Equal(metric, alarm.At("MetricName"));
        var dimensions = alarm.At("Dimensions").Seq();
        Assert.True(dimensions.Single(d => d.At("Name") as string == dimension).At("Value").IsRef(resource));
        Assert.Equal("notBreaching", alarm.At("TreatMissingData"));
    }

    [Fact]
    public void The_error_output_alarm_counts_the_error_prefix_metrics_filter()
    {
        var variant = Template.With();
        var filterId = variant.Properties("ErrorOutputAlarm").At("Dimensions").Seq().Single(d => d.At("Name") as string == "FilterId").At("Value");
        var metrics = variant.Properties("ArchiveBucket").At("MetricsConfigurations").Seq().Single();

        Assert.Equal(metrics.At("Id"), filterId);
    }

    [Fact]
    public void Alarms_on_the_functions_metrics_match_its_embedded_metric_line()
    {
        var directive = FunctionMetricDirective();
        var ns = directive.GetProperty("Namespace").GetString();
        var dimensionSets = directive.GetProperty("Dimensions").EnumerateArray()
            .Select(set => string.Join(",", set.EnumerateArray().Select(d => d.GetString()))).ToList();
        var metrics = directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()).ToList();
        var variant = Template.With();

        var alarms = variant.ResourcesOfType("AWS::CloudWatch::Alarm")
            .Where(a => a.Resource.At("Properties").Has("Namespace") && a.Resource.At("Properties", "Namespace") as string == ns).ToList();
        Assert.Equal(["FailedRecordsAlarm", "ParseFailuresAlarm"], alarms.Select(a => a.Id).Order(StringComparer.Ordinal));
        foreach (var (id, alarm) in alarms)
        {
            var properties = alarm.At("Properties");
            Assert.Contains(properties.At("MetricName").Text(), metrics);
            // CloudWatch matches an alarm's dimensions exactly: they must be one of the line's dimension sets.
            var dimensions = properties.At("Dimensions").Seq();
            Assert.Contains(string.Join(",", dimensions.Select(d => d.At("Name").Text())), dimensionSets);
            Assert.True(dimensions.Single().At("Value").IsRef("TransformFunction"), id);
            Assert.Equal("Sum", properties.At("Statistic"));
        }

        Assert.Equal(ns, variant.Output("MetricsNamespace").At("Value"));
    }

    [Fact]
    public void Overflowed_records_are_a_metric_to_watch_not_an_alarm()
    {
        Assert.Contains("OverflowedRecords", FunctionMetricDirective().GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()));
        Assert.DoesNotContain(
            Template.With().ResourcesOfType("AWS::CloudWatch::Alarm"),
            a => a.Resource.At("Properties").Has("MetricName") && a.Resource.At("Properties", "MetricName") as string == "OverflowedRecords");
    }

    [Fact]
    public void Alarms_notify_the_email_topic_only_when_an_address_is_given()
    {
        var silent = Template.With();
        var notifying = Template.With(("AlarmEmail", "security@example.com"));

        Assert.False(silent.Creates("AlarmTopic"));
        Assert.Equal("security@example.com", notifying.Properties("AlarmTopic").At("Subscription").Seq().Single().At("Endpoint"));
        foreach (var (id, _) in silent.ResourcesOfType("AWS::CloudWatch::Alarm"))
        {
            Assert.False(silent.Properties(id).Has("AlarmActions"), id);
            Assert.True(notifying.Properties(id).At("AlarmActions").Seq().Single().IsRef("AlarmTopic"), id);
        }
    }

    [Theory]
    [InlineData("ArchiveBucketName")]
    [InlineData("DeliveryStreamName")]
    [InlineData("AthenaWorkGroupName")]
    [InlineData("AuditTableName")]
    [InlineData("MetricsNamespace")]
    public void The_outputs_name_what_a_user_needs(string output)
    {
        Assert.NotNull(Template.With().Output(output));
    }

    /// <summary>The metric directive of the line the function prints per invocation (one record that fails to decode).</summary>
    private static JsonElement FunctionMetricDirective()
    {
        using var log = new StringWriter();
        var transformer = new BatchTransformer(new TransformerOptions(), log);
        {
            transformer.Transform(new KinesisFirehoseEvent
            {
                InvocationId = "metrics",
                Records = [new KinesisFirehoseEvent.FirehoseRecord { RecordId = "r1", ApproximateArrivalTimestamp = 1, Base64EncodedData = "bm90IGd6aXA=" }],
            });
        }

        var line = log.ToString().Split('\n').Single(l => l.Contains("\"_aws\"", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray().Single().Clone();
    }

    [GeneratedRegex(@"'[^']*'|""[^""]*""")]
    private static partial Regex Literal();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\b")]
    private static partial Regex Identifier();
}
