using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>Least privilege: each role can do its one job on the ARNs of this stack.</summary>
public class IamPolicyTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;
    private const string KeyArn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";

    public static TheoryData<string, string, string> Variants => new()
    {
        { "json", "", "NONE" },
        { "csv", KeyArn, "GOVERNANCE" },
        { "parquet", "", "COMPLIANCE" },
        { "parquet", KeyArn, "NONE" },
    };

    internal static IEnumerable<object?> AllowStatements(TemplateVariant variant, string roleId) =>
        variant.Properties(roleId).At("Policies").Seq()
            .SelectMany(p => p.At("PolicyDocument", "Statement").Seq())
            .Where(s => s.At("Effect") as string == "Allow");

    private static IEnumerable<string> Actions(object? statement) => statement.At("Action").OneOrMany().Select(a => a.Text());

    private static object? StatementWithSid(TemplateVariant variant, string roleId, string sid) =>
        AllowStatements(variant, roleId).SingleOrDefault(s => s.Has("Sid") && s.At("Sid") as string == sid);

    [Theory]
    [MemberData(nameof(Variants))]
    public void No_role_allows_every_action_or_every_resource(string format, string key, string objectLock)
    {
        var variant = Template.With(("OutputFormat", format), ("KmsKeyArn", key), ("ObjectLockMode", objectLock));
        foreach (var (id, _) in variant.ResourcesOfType("AWS::IAM::Role"))
        {
            foreach (var statement in AllowStatements(variant, id))
            {
                Assert.All(Actions(statement), a => Assert.False(a == "*" || a.EndsWith(":*", StringComparison.Ordinal), $"{id}: {a}"));
                Assert.All(statement.At("Resource").OneOrMany(), r => Assert.False(r is string s && s.Contains('*', StringComparison.Ordinal) && !s.EndsWith("/*", StringComparison.Ordinal), $"{id}: {Node.Describe(r)}"));
            }
        }
    }

    [Fact]
    public void Subscription_role_is_assumed_by_cloudwatch_logs_of_this_account_and_region_only()
    {
        var trust = Assert.Single(Template.With().Properties("SubscriptionFilterRole").At("AssumeRolePolicyDocument", "Statement").Seq());

        Assert.Equal("logs.amazonaws.com", trust.At("Principal", "Service"));
        Assert.Equal(
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*",
            trust.At("Condition", "StringLike", "aws:SourceArn"));
    }

    [Fact]
    public void Subscription_role_can_only_put_records_into_this_stream()
    {
        var statement = Assert.Single(AllowStatements(Template.With(), "SubscriptionFilterRole"));

        Assert.Equal(["firehose:PutRecord", "firehose:PutRecordBatch"], Actions(statement));
        Assert.True(statement.At("Resource").IsGetAtt("DeliveryStream", "Arn"));
    }

    [Fact]
    public void Delivery_role_is_assumed_by_firehose_for_this_account_only()
    {
        var trust = Assert.Single(Template.With().Properties("DeliveryStreamRole").At("AssumeRolePolicyDocument", "Statement").Seq());

        Assert.Equal("firehose.amazonaws.com", trust.At("Principal", "Service"));
        Assert.True(trust.At("Condition", "StringEquals", "sts:ExternalId").IsRef("AWS::AccountId"));
    }

    [Fact]
    public void Delivery_role_writes_only_the_archive_bucket()
    {
        var statement = StatementWithSid(Template.With(), "DeliveryStreamRole", "WriteArchiveBucket");
        var resources = statement.At("Resource").Seq();

        Assert.Equal(2, resources.Count);
        Assert.True(resources[0].IsGetAtt("ArchiveBucket", "Arn"));
        Assert.Equal("${ArchiveBucket.Arn}/*", resources[1]);
        Assert.All(Actions(statement), a => Assert.StartsWith("s3:", a, StringComparison.Ordinal));
        Assert.DoesNotContain("s3:DeleteObject", Actions(statement));
    }

    [Fact]
    public void Delivery_role_invokes_only_the_transformation_function()
    {
        var statement = StatementWithSid(Template.With(), "DeliveryStreamRole", "InvokeTransformFunction");

        Assert.Equal(["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"], Actions(statement));
        Assert.True(statement.At("Resource").IsGetAtt("TransformFunction", "Arn"));
    }

    [Fact]
    public void Delivery_role_writes_only_its_own_error_log_streams_of_delivery_and_source_backup()
    {
        var statement = StatementWithSid(Template.With(), "DeliveryStreamRole", "WriteErrorLog");

        Assert.Equal(["logs:PutLogEvents"], Actions(statement));
        Assert.Equal(
        [
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${DeliveryStreamLogGroup}:log-stream:${DeliveryStreamLogStream}",
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${DeliveryStreamLogGroup}:log-stream:${DeliveryStreamBackupLogStream}",
        ], statement.At("Resource").Seq().Select(r => r.Text()));
    }

    [Theory]
    [InlineData("json", false)]
    [InlineData("csv", false)]
    [InlineData("parquet", true)]
    public void Delivery_role_reads_the_glue_table_only_in_parquet_mode(string format, bool expected)
    {
        var statement = StatementWithSid(Template.With(("OutputFormat", format)), "DeliveryStreamRole", "ReadSchemaForParquet");

        Assert.Equal(expected, statement is not null);
        if (statement is not null)
        {
            Assert.All(Actions(statement), a => Assert.StartsWith("glue:GetTable", a, StringComparison.Ordinal));
            Assert.Equal(
                [
                    "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:catalog",
                    "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/${GlueDatabase}",
                    "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/${GlueDatabase}/${AuditTable}",
                ],
                statement.At("Resource").Seq());
        }
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    [InlineData("parquet")]
    public void Function_role_may_only_put_objects_where_the_function_overflows(string format)
    {
        var variant = Template.With(("OutputFormat", format));
        var s3 = AllowStatements(variant, "TransformFunctionRole").Where(s => Actions(s).Any(a => a.StartsWith("s3:", StringComparison.Ordinal))).ToList();

        var statement = Assert.Single(s3);
        Assert.Equal(["s3:PutObject"], Actions(statement));
        var directory = OverflowTests.Directory(OverflowTests.OverflowPrefix(variant));
        Assert.Equal("${ArchiveBucket.Arn}/" + directory + "*", statement.At("Resource"));
        Assert.StartsWith("audit/", directory, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_role_uses_kms_only_to_encrypt_through_s3_and_only_when_a_key_is_given()
    {
        Assert.Null(StatementWithSid(Template.With(), "TransformFunctionRole", "EncryptThroughS3"));

        var statement = StatementWithSid(Template.With(("KmsKeyArn", KeyArn)), "TransformFunctionRole", "EncryptThroughS3");
        Assert.Equal(["kms:GenerateDataKey"], Actions(statement));
        Assert.Equal(KeyArn, statement.At("Resource"));
        Assert.Equal("s3.${AWS::Region}.${AWS::URLSuffix}", statement.At("Condition", "StringEquals", "kms:ViaService"));
    }

    [Fact]
    public void Delivery_role_uses_kms_only_through_s3_and_only_when_a_key_is_given()
    {
        Assert.Null(StatementWithSid(Template.With(), "DeliveryStreamRole", "EncryptThroughS3"));

        var statement = StatementWithSid(Template.With(("KmsKeyArn", KeyArn)), "DeliveryStreamRole", "EncryptThroughS3");
        Assert.Equal(["kms:GenerateDataKey", "kms:Decrypt"], Actions(statement));
        Assert.Equal(KeyArn, statement.At("Resource"));
        Assert.Equal("s3.${AWS::Region}.${AWS::URLSuffix}", statement.At("Condition", "StringEquals", "kms:ViaService"));
    }
}
