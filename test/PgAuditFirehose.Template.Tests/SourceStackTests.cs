using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>source.yaml: one account's clusters subscribed to a collector named only by a parameter.</summary>
public class SourceStackTests
{
    private static readonly CfnTemplate Source = CfnTemplate.Source;
    private const string Destination = "arn:aws:logs:eu-west-1:999999999999:destination:audit-lake-pgaudit";
    private const string Stream = "arn:aws:firehose:eu-west-1:999999999999:deliverystream/audit-lake-DeliveryStream-abc";
    private const string Role = "arn:aws:iam::999999999999:role/audit-lake-SubscriptionFilterRole-abc";

    private static List<object?> Filters(TemplateVariant variant) =>
        [.. variant.ResourcesOfType("AWS::Logs::SubscriptionFilter").Select(r => r.Resource.At("Properties"))];

    [Fact]
    public void Every_listed_cluster_gets_a_filter_on_its_log_group_to_the_destination_parameter()
    {
        var variant = Source.With(("DbIdentifiers", "orders-db,billing,eu-ledger-2"));

        var filters = Filters(variant);
        Assert.Equal(
            ["/aws/rds/cluster/orders-db/postgresql", "/aws/rds/cluster/billing/postgresql", "/aws/rds/cluster/eu-ledger-2/postgresql"],
            filters.Select(f => f.At("LogGroupName").Text()));
        Assert.All(filters, f => Assert.Equal(Destination, f.At("DestinationArn")));
        Assert.Equal(["SubscriptionFilterordersdb", "SubscriptionFilterbilling", "SubscriptionFiltereuledger2"],
            variant.ResourcesOfType("AWS::Logs::SubscriptionFilter").Select(r => r.Id));
    }

    [Fact]
    public void A_destination_delivers_with_its_own_role_so_the_filter_names_none()
    {
        Assert.All(Filters(Source.With()), f => Assert.False(f.Has("RoleArn")));
    }

    [Fact]
    public void In_the_collectors_account_the_filter_names_the_stream_and_the_collectors_role()
    {
        var filter = Assert.Single(Filters(Source.With(("DestinationArn", Stream), ("RoleArn", Role))));

        Assert.Equal(Stream, filter.At("DestinationArn"));
        Assert.Equal(Role, filter.At("RoleArn"));
    }

    [Theory]
    [InlineData(Destination, true)]
    [InlineData(Stream, true)]
    [InlineData("arn:aws:lambda:eu-west-1:999999999999:function:x", false)]
    [InlineData("arn:aws:logs:eu-west-1:999999999999:log-group:x", false)]
    public void Only_a_destination_or_a_firehose_stream_is_accepted(string arn, bool accepted)
    {
        var pattern = Source.Parameters.At("DestinationArn", "AllowedPattern").Text();

        Assert.Equal(accepted, System.Text.RegularExpressions.Regex.IsMatch(arn, pattern));
    }

    [Fact]
    public void Instances_are_subscribed_by_their_instance_log_group()
    {
        var filter = Assert.Single(Filters(Source.With(("DbIdentifierKind", "instance"))));

        Assert.Equal("/aws/rds/instance/orders-db/postgresql", filter.At("LogGroupName"));
    }

    [Fact]
    public void Created_log_groups_keep_the_logs_after_the_stack_and_the_filters_wait_for_them()
    {
        var variant = Source.With(("DbIdentifiers", "orders-db,billing"), ("CreateLogGroups", "true"));

        var groups = variant.ResourcesOfType("AWS::Logs::LogGroup").ToList();
        Assert.Equal(["LogGroupordersdb", "LogGroupbilling"], groups.Select(g => g.Id));
        Assert.All(groups, g => Assert.Equal("Retain", g.Resource.At("DeletionPolicy")));
        Assert.Equal(["LogGroupordersdb", "LogGroupbilling"], Filters(variant).Select(f => f.At("LogGroupName").At("Ref").Text()));
        Assert.Empty(Source.With().ResourcesOfType("AWS::Logs::LogGroup"));
    }

    [Fact]
    public void The_filter_pattern_is_the_collectors_one_source_of_truth()
    {
        Assert.Equal(CfnTemplate.Current.Default("FilterPattern"), Source.Default("FilterPattern"));
        Assert.All(Filters(Source.With()), f => Assert.Equal(Source.Default("FilterPattern"), f.At("FilterPattern")));
    }

    [Theory]
    [InlineData("cluster", "PgAuditClusterParameterGroup")]
    [InlineData("instance", "PgAuditInstanceParameterGroup")]
    public void The_parameter_group_is_the_collectors(string kind, string groupId)
    {
        var collector = CfnTemplate.Current.With(("DbIdentifierKind", kind)).Properties(groupId);
        var source = Source.With(("DbIdentifierKind", kind)).Properties(groupId);

        Assert.Equal(Node.Describe(collector.At("Parameters")), Node.Describe(source.At("Parameters")));
        Assert.Equal(Node.Describe(collector.At("Family")), Node.Describe(source.At("Family")));
        foreach (var parameter in new[] { "PostgresMajorVersion", "PgAuditLogClasses", "PgAuditLogParameter", "CaptureSessionEvents", "DbIdentifierKind", "LogRetentionDays" })
        {
            var collectorName = parameter == "LogRetentionDays" ? "SourceLogRetentionDays" : parameter;
            Assert.Equal(Node.Describe(CfnTemplate.Current.Parameters.At(collectorName, "Default")), Node.Describe(Source.Parameters.At(parameter, "Default")));
        }
    }

    [Fact]
    public void The_source_creates_no_iam_so_a_new_account_needs_nothing_from_the_collector_but_its_arn()
    {
        var variant = Source.With(("DbIdentifiers", "a,b"), ("CreateLogGroups", "true"));

        Assert.Empty(variant.ResourcesOfType("AWS::IAM::Role"));
    }
}
