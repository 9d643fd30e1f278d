using System.Text.Json;
using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>The collector's CloudWatch Logs destination: who may subscribe, and how CloudWatch Logs reaches the stream.</summary>
public class FleetDestinationTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;
    private const string Accounts = "111111111111,222222222222";
    private const string Organization = "o-abcdefghij";
    private const string DestinationArn = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:destination:${AWS::StackName}-pgaudit";

    private static JsonElement[] PolicyStatements(TemplateVariant variant)
    {
        var policy = variant.Properties("FleetDestination").At("DestinationPolicy").Text();
        return [.. JsonDocument.Parse(policy).RootElement.GetProperty("Statement").EnumerateArray()];
    }

    private static string[] Actions(JsonElement statement) => [.. statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)];

    [Fact]
    public void A_single_cluster_stack_has_no_destination_and_subscribes_its_cluster_to_the_stream()
    {
        var variant = Template.With();

        Assert.False(variant.Creates("FleetDestination"));
        Assert.False(variant.Creates("FleetDestinationRole"));
        Assert.Null(variant.Output("FleetDestinationArn"));
        Assert.True(variant.Properties("SubscriptionFilter").At("DestinationArn").IsGetAtt("DeliveryStream", "Arn"));
    }

    [Theory]
    [InlineData(Accounts, "")]
    [InlineData("", Organization)]
    [InlineData(Accounts, Organization)]
    public void The_destination_feeds_the_stream_through_its_own_role(string accounts, string organization)
    {
        var variant = Template.With(("FleetAccountIds", accounts), ("FleetOrganizationId", organization));
        var destination = variant.Properties("FleetDestination");

        Assert.True(destination.At("TargetArn").IsGetAtt("DeliveryStream", "Arn"));
        Assert.True(destination.At("RoleArn").IsGetAtt("FleetDestinationRole", "Arn"));
        Assert.Equal("${AWS::StackName}-pgaudit", destination.At("DestinationName"));
        Assert.True(variant.Output("FleetDestinationArn").At("Value").IsGetAtt("FleetDestination", "Arn"));
    }

    [Fact]
    public void Listed_accounts_and_only_they_may_subscribe()
    {
        var statement = Assert.Single(PolicyStatements(Template.With(("FleetAccountIds", Accounts))));

        Assert.Equal(["111111111111", "222222222222"], statement.GetProperty("Principal").GetProperty("AWS").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["logs:PutSubscriptionFilter", "logs:PutAccountPolicy"], Actions(statement));
        Assert.Equal(DestinationArn, statement.GetProperty("Resource").GetString());
        Assert.False(statement.TryGetProperty("Condition", out _));
    }

    [Fact]
    public void An_organization_may_subscribe_by_its_principal_org_id()
    {
        var statement = Assert.Single(PolicyStatements(Template.With(("FleetOrganizationId", Organization))));

        Assert.Equal("*", statement.GetProperty("Principal").GetString());
        Assert.Equal(Organization, statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:PrincipalOrgID").GetString());
        Assert.Equal(["logs:PutSubscriptionFilter", "logs:PutAccountPolicy"], Actions(statement));
        Assert.Equal(DestinationArn, statement.GetProperty("Resource").GetString());
    }

    [Fact]
    public void Accounts_and_an_organization_together_are_two_statements()
    {
        var statements = PolicyStatements(Template.With(("FleetAccountIds", Accounts), ("FleetOrganizationId", Organization)));

        Assert.Equal(["FleetAccounts", "FleetOrganization"], statements.Select(s => s.GetProperty("Sid").GetString()));
    }

    [Fact]
    public void The_destination_name_in_its_policy_is_the_name_it_gets()
    {
        var variant = Template.With(("FleetAccountIds", Accounts));
        var name = variant.Properties("FleetDestination").At("DestinationName").Text();

        Assert.EndsWith(":destination:" + name, PolicyStatements(variant).Single().GetProperty("Resource").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_role_trusts_cloudwatch_logs_for_this_and_the_listed_accounts_in_this_region()
    {
        var trust = Assert.Single(Template.With(("FleetAccountIds", Accounts)).Properties("FleetDestinationRole").At("AssumeRolePolicyDocument", "Statement").Seq());

        Assert.Equal("logs.amazonaws.com", trust.At("Principal", "Service"));
        Assert.Equal("arn:${AWS::Partition}:logs:${AWS::Region}:*:*", trust.At("Condition", "StringLike", "aws:SourceArn"));
        // The test message at PutDestination comes from this account, the events from the sources.
        Assert.Equal(["${AWS::AccountId}", "111111111111", "222222222222"], trust.At("Condition", "StringEquals", "aws:SourceAccount").Seq().Select(a => a.Text()));
    }

    [Fact]
    public void With_an_organization_the_role_also_trusts_its_accounts_by_source_org_id()
    {
        var statements = Template.With(("FleetOrganizationId", Organization)).Properties("FleetDestinationRole").At("AssumeRolePolicyDocument", "Statement").Seq();

        Assert.Equal(2, statements.Count);
        Assert.True(statements[0].At("Condition", "StringEquals", "aws:SourceAccount").IsRef("AWS::AccountId"));
        Assert.Equal(Organization, statements[1].At("Condition", "StringEquals", "aws:SourceOrgID"));
        Assert.Equal("arn:${AWS::Partition}:logs:${AWS::Region}:*:*", statements[1].At("Condition", "StringLike", "aws:SourceArn"));
    }

    [Fact]
    public void The_role_may_only_put_records_into_this_stream()
    {
        var statement = Assert.Single(IamPolicyTests.AllowStatements(Template.With(("FleetOrganizationId", Organization)), "FleetDestinationRole"));

        Assert.Equal(["firehose:PutRecord", "firehose:PutRecordBatch"], statement.At("Action").Seq().Select(a => a.Text()));
        Assert.True(statement.At("Resource").IsGetAtt("DeliveryStream", "Arn"));
    }

    [Fact]
    public void A_collector_without_a_cluster_of_its_own_subscribes_nothing_itself()
    {
        var variant = Template.With(("DbIdentifier", ""), ("FleetOrganizationId", Organization));

        Assert.False(variant.Creates("SubscriptionFilter"));
        Assert.False(variant.Creates("SourceLogGroup"));
        Assert.False(variant.Creates("PgAuditClusterParameterGroup"));
        Assert.Null(variant.Output("SourceLogGroupName"));
        Assert.Null(variant.Output("AttachParameterGroupCommand"));
        Assert.True(variant.Creates("FleetDestination"));
    }

    [Fact]
    public void Same_account_sources_get_the_stream_and_the_subscription_role_from_the_outputs()
    {
        var variant = Template.With();

        Assert.True(variant.Output("DeliveryStreamArn").At("Value").IsGetAtt("DeliveryStream", "Arn"));
        Assert.True(variant.Output("SubscriptionRoleArn").At("Value").IsGetAtt("SubscriptionFilterRole", "Arn"));
    }

    [Theory]
    [InlineData("FleetAccountIds", "11111111111")]
    [InlineData("FleetAccountIds", "111111111111,")]
    [InlineData("FleetOrganizationId", "r-abcd")]
    public void Malformed_fleet_parameters_are_refused_by_their_pattern(string parameter, string value)
    {
        var pattern = Template.Parameters.At(parameter, "AllowedPattern").Text();

        Assert.DoesNotMatch(pattern, value);
    }
}
