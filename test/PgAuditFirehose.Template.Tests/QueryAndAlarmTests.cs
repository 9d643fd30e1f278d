using System.Text.RegularExpressions;
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
        "current_date", "current_timestamp", "event_time", "audit_lines", "first_seen", "last_seen",
    };

    private static readonly string[] NamedQueryIds =
        [.. Template.Resources.Where(r => r.Value.At("Type") as string == "AWS::Athena::NamedQuery").Select(r => r.Key)];

    public static TheoryData<string> NamedQueries => new(NamedQueryIds);

    [Fact]
    public void There_are_named_queries_for_each_security_question()
    {
        var names = NamedQueryIds.Select(id => Template.With().Properties(id).At("Name").Text()).ToList();

        Assert.Equal(5, names.Count);
        Assert.Contains(names, n => n.Contains("DDL in the last 24 hours", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("role and privilege changes", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("access to a given table", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("activity by user", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("failed to parse", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(NamedQueries))]
    public void A_named_query_reads_the_audit_table_in_the_workgroup_and_prunes_by_day(string queryId)
    {
        var query = Template.With().Properties(queryId);
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
        var sql = Template.With().Properties(queryId).At("QueryString").Text();
        var columns = AuditColumns.Csv.Select(c => c.Name).Concat(["cluster", "dt"]).ToHashSet(StringComparer.Ordinal);
        var withoutLiterals = Literal().Replace(sql, " ");

        var unknown = Identifier().Matches(withoutLiterals).Select(m => m.Value)
            .Where(word => !SqlWords.Contains(word.ToLowerInvariant()) && !columns.Contains(word))
            .Distinct().ToList();
        Assert.True(unknown.Count == 0, $"{queryId} uses unknown identifiers: {string.Join(", ", unknown)}");
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
    [InlineData("FailedRecordsAlarm", "AWS/S3", "PutRequests", "BucketName", "ArchiveBucket")]
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
    public void The_failed_records_alarm_counts_the_error_prefix_metrics_filter()
    {
        var variant = Template.With();
        var filterId = variant.Properties("FailedRecordsAlarm").At("Dimensions").Seq().Single(d => d.At("Name") as string == "FilterId").At("Value");
        var metrics = variant.Properties("ArchiveBucket").At("MetricsConfigurations").Seq().Single();

        Assert.Equal(metrics.At("Id"), filterId);
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
    public void The_outputs_name_what_a_user_needs(string output)
    {
        Assert.NotNull(Template.With().Output(output));
    }

    [GeneratedRegex(@"'[^']*'|""[^""]*""")]
    private static partial Regex Literal();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\b")]
    private static partial Regex Identifier();
}
