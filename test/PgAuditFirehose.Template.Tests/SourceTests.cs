using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>The PostgreSQL log group, the subscription filter into the stream, the parameter groups.</summary>
public class SourceTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;

    [Fact]
    public void The_filter_feeds_the_delivery_stream_through_its_role()
    {
        var filter = Template.With().Properties("SubscriptionFilter");

        Assert.True(filter.At("DestinationArn").IsGetAtt("DeliveryStream", "Arn"));
        Assert.True(filter.At("RoleArn").IsGetAtt("SubscriptionFilterRole", "Arn"));
        Assert.Equal(Template.Default("FilterPattern"), filter.At("FilterPattern"));
    }

    [Fact]
    public void The_filter_pattern_is_a_parameter()
    {
        var filter = Template.With(("FilterPattern", "?\"LOG:  AUDIT:\"")).Properties("SubscriptionFilter");

        Assert.Equal("?\"LOG:  AUDIT:\"", filter.At("FilterPattern"));
    }

    [Fact]
    public void By_default_the_stack_creates_the_clusters_log_group_and_subscribes_it()
    {
        var variant = Template.With();

        Assert.Equal("/aws/rds/cluster/database-1/postgresql", variant.Properties("SourceLogGroup").At("LogGroupName"));
        Assert.Equal("30", variant.Properties("SourceLogGroup").At("RetentionInDays"));
        Assert.True(variant.Properties("SubscriptionFilter").At("LogGroupName").IsRef("SourceLogGroup"));
    }

    [Theory]
    [InlineData("cluster", "", "/aws/rds/cluster/database-1/postgresql")]
    [InlineData("instance", "", "/aws/rds/instance/database-1/postgresql")]
    [InlineData("cluster", "/self-managed/pg", "/self-managed/pg")]
    public void An_existing_log_group_is_subscribed_by_name(string kind, string logGroup, string expected)
    {
        var variant = Template.With(("CreateSourceLogGroup", "false"), ("DbIdentifierKind", kind), ("SourceLogGroupName", logGroup));

        Assert.False(variant.Creates("SourceLogGroup"));
        Assert.Equal(expected, variant.Properties("SubscriptionFilter").At("LogGroupName"));
        Assert.Equal(expected, variant.Output("SourceLogGroupName").At("Value"));
    }

    [Fact]
    public void The_source_log_group_outlives_the_stack()
    {
        var resource = Template.Resource("SourceLogGroup");

        Assert.Equal("Retain", resource.At("DeletionPolicy"));
        Assert.Equal("Retain", resource.At("UpdateReplacePolicy"));
    }

    [Theory]
    [InlineData("cluster", "PgAuditClusterParameterGroup", "aurora-postgresql16")]
    [InlineData("instance", "PgAuditInstanceParameterGroup", "postgres16")]
    public void The_parameter_group_loads_and_configures_pgaudit(string kind, string resource, string family)
    {
        var group = Template.With(("DbIdentifierKind", kind)).Properties(resource);
        var parameters = group.At("Parameters");

        Assert.Equal(family, group.At("Family"));
        Assert.Contains("pgaudit", parameters.At("shared_preload_libraries").Text().Split(','));
        Assert.Equal("rds_pgaudit", parameters.At("pgaudit.role"));
        Assert.Equal("ddl,role", parameters.At("pgaudit.log"));
        Assert.Equal("0", parameters.At("pgaudit.log_parameter"));
        Assert.Equal("1", parameters.At("log_connections"));
        Assert.Equal("1", parameters.At("log_disconnections"));
    }

    [Theory]
    [InlineData("cluster", "PgAuditClusterParameterGroup")]
    [InlineData("instance", "PgAuditInstanceParameterGroup")]
    public void Without_session_events_the_parameter_group_leaves_the_connection_logging_alone(string kind, string resource)
    {
        var parameters = Template.With(("DbIdentifierKind", kind), ("CaptureSessionEvents", "false")).Properties(resource).At("Parameters");

        Assert.False(parameters.Has("log_connections"));
        Assert.False(parameters.Has("log_disconnections"));
        Assert.Equal("rds_pgaudit", parameters.At("pgaudit.role"));
    }

    [Fact]
    public void Parameter_group_settings_come_from_parameters()
    {
        var variant = Template.With(("PostgresMajorVersion", "17"), ("PgAuditLogClasses", "all,-misc"), ("PgAuditLogParameter", "on"));
        var group = variant.Properties("PgAuditClusterParameterGroup");

        Assert.Equal("aurora-postgresql17", group.At("Family"));
        Assert.Equal("all,-misc", group.At("Parameters", "pgaudit.log"));
        Assert.Equal("1", group.At("Parameters", "pgaudit.log_parameter"));
    }

    [Theory]
    [InlineData("cluster", "modify-db-cluster", "--db-cluster-parameter-group-name ${PgAuditClusterParameterGroup}")]
    [InlineData("instance", "modify-db-instance", "--db-parameter-group-name ${PgAuditInstanceParameterGroup}")]
    public void Outputs_say_how_to_attach_the_group_and_export_the_log(string kind, string command, string groupOption)
    {
        var text = Template.With(("DbIdentifierKind", kind)).Output("AttachParameterGroupCommand").At("Value").Text();

        Assert.Contains($"aws rds {command}", text, StringComparison.Ordinal);
        Assert.Contains(groupOption, text, StringComparison.Ordinal);
        Assert.Contains("EnableLogTypes=postgresql", text, StringComparison.Ordinal);
        Assert.Contains("database-1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_parameter_group_option_there_is_no_group_and_no_attach_output()
    {
        var variant = Template.With(("CreatePgAuditParameterGroup", "false"));

        Assert.DoesNotContain(variant.ResourceIds, id => id.StartsWith("PgAudit", StringComparison.Ordinal));
        Assert.Null(variant.Output("AttachParameterGroupCommand"));
        Assert.Null(variant.Output("PgAuditParameterGroupName"));
    }
}
