using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

public class ArchiveBucketTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;
    private const string KeyArn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";

    public static TheoryData<string> Buckets => ["ArchiveBucket", "AthenaResultsBucket"];

    [Theory]
    [MemberData(nameof(Buckets))]
    public void Blocks_public_access_and_survives_the_stack(string bucket)
    {
        var block = Template.With().Properties(bucket).At("PublicAccessBlockConfiguration").Map();

        Assert.Equal(4, block.Count);
        Assert.All(block.Values, v => Assert.Equal("true", v));
        Assert.Equal("Retain", Template.Resource(bucket).At("DeletionPolicy"));
    }

    [Theory]
    [MemberData(nameof(Buckets))]
    public void Denies_requests_without_tls(string bucket)
    {
        var policy = Template.With().ResourcesOfType("AWS::S3::BucketPolicy")
            .Single(p => p.Resource.At("Properties", "Bucket").IsRef(bucket)).Resource;
        var statement = Assert.Single(policy.At("Properties", "PolicyDocument", "Statement").Seq());

        Assert.Equal("Deny", statement.At("Effect"));
        Assert.Equal("s3:*", statement.At("Action"));
        Assert.Equal("false", statement.At("Condition", "Bool", "aws:SecureTransport"));
        Assert.Equal(2, statement.At("Resource").Seq().Count);
    }

    [Theory]
    [InlineData("", "AES256")]
    [InlineData(KeyArn, "aws:kms")]
    public void Encrypts_with_s3_keys_or_the_given_kms_key(string key, string algorithm)
    {
        var variant = Template.With(("KmsKeyArn", key));
        foreach (var bucket in new[] { "ArchiveBucket", "AthenaResultsBucket" })
        {
            var rule = variant.Properties(bucket).At("BucketEncryption", "ServerSideEncryptionConfiguration").Seq().Single();
            Assert.Equal(algorithm, rule.At("ServerSideEncryptionByDefault", "SSEAlgorithm"));
            Assert.Equal(key.Length > 0, rule.At("ServerSideEncryptionByDefault").Has("KMSMasterKeyID"));
        }
    }

    [Fact]
    public void Keeps_versions()
    {
        Assert.Equal("Enabled", Template.With().Properties("ArchiveBucket").At("VersioningConfiguration", "Status"));
    }

    [Theory]
    [InlineData("NONE", false)]
    [InlineData("GOVERNANCE", true)]
    [InlineData("COMPLIANCE", true)]
    public void Object_lock_follows_the_mode_with_the_retention_days(string mode, bool locked)
    {
        var bucket = Template.With(("ObjectLockMode", mode), ("ObjectLockRetentionDays", "2555")).Properties("ArchiveBucket");

        Assert.Equal(locked, bucket.Has("ObjectLockConfiguration"));
        Assert.Equal(locked, bucket.Has("ObjectLockEnabled"));
        if (locked)
        {
            var retention = bucket.At("ObjectLockConfiguration", "Rule", "DefaultRetention");
            Assert.Equal(mode, retention.At("Mode"));
            Assert.Equal("2555", retention.At("Days"));
        }
    }

    [Fact]
    public void Archives_after_the_transition_days_and_never_expires_by_default()
    {
        var rule = ArchiveRule(Template.With());

        var transition = Assert.Single(rule.At("Transitions").Seq());
        Assert.Equal("GLACIER_IR", transition.At("StorageClass"));
        Assert.Equal("90", transition.At("TransitionInDays"));
        Assert.False(rule.Has("ExpirationInDays"));
    }

    [Fact]
    public void Zero_transition_days_keep_standard_storage_and_expiry_removes_old_versions_too()
    {
        var rule = ArchiveRule(Template.With(("ArchiveTransitionDays", "0"), ("ArchiveExpirationDays", "2555")));

        Assert.False(rule.Has("Transitions"));
        Assert.Equal("2555", rule.At("ExpirationInDays"));
        Assert.Equal("1", rule.At("NoncurrentVersionExpiration", "NoncurrentDays"));
    }

    /// <summary>The rule for every object of the bucket (no prefix): audit records, errors and source backups alike.</summary>
    internal static object? ArchiveRule(TemplateVariant variant) =>
        variant.Properties("ArchiveBucket").At("LifecycleConfiguration", "Rules").Seq().Single(r => !r.Has("Prefix") && !r.Has("Filter"));

    [Fact]
    public void Counts_requests_under_the_firehose_error_prefix()
    {
        var variant = Template.With();
        var metrics = Assert.Single(variant.Properties("ArchiveBucket").At("MetricsConfigurations").Seq());
        var errorPrefix = DeliveryStreamTests.Destination(variant).At("ErrorOutputPrefix").Text();

        Assert.Equal(errorPrefix[..(errorPrefix.IndexOf('/', StringComparison.Ordinal) + 1)], metrics.At("Prefix"));
    }
}
