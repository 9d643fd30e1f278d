using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>
/// Firehose keeps every source record (also those the function drops) in the archive bucket, so records can be
/// rebuilt after a parser fix or a wrong setting (`pgaudit-firehose reprocess`).
/// </summary>
public class SourceBackupTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;
    private const string KeyArn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";

    private static object? Backup(TemplateVariant variant) => DeliveryStreamTests.Destination(variant).At("S3BackupConfiguration");

    [Theory]
    [MemberData(nameof(DeliveryStreamTests.Formats), MemberType = typeof(DeliveryStreamTests))]
    public void Every_source_record_is_backed_up_into_the_archive_bucket(string format)
    {
        var variant = Template.With(("OutputFormat", format));

        Assert.Equal("Enabled", DeliveryStreamTests.Destination(variant).At("S3BackupMode"));
        Assert.True(Backup(variant).At("BucketARN").IsGetAtt("ArchiveBucket", "Arn"));
        Assert.True(Backup(variant).At("RoleARN").IsGetAtt("DeliveryStreamRole", "Arn"));
    }

    [Fact]
    public void Backups_are_partitioned_by_day_under_their_own_prefix_outside_the_tables_and_the_replayed_errors()
    {
        var variant = Template.With();
        var prefix = Backup(variant).At("Prefix").Text();

        Assert.Equal("source-backup/dt=!{timestamp:yyyy-MM-dd}/", prefix);
        // Backup prefixes cannot use the function's partition keys (Firehose has none for the raw record).
        Assert.DoesNotContain("partitionKeyFromLambda", prefix, StringComparison.Ordinal);
        Assert.False(prefix.StartsWith(DeliveryStreamTests.Destination(variant).At("Prefix").Text()[..6], StringComparison.Ordinal));
        var errorPrefix = Backup(variant).At("ErrorOutputPrefix").Text();
        Assert.StartsWith("errors/source-backup/!{firehose:error-output-type}/", errorPrefix, StringComparison.Ordinal);
        Assert.False(errorPrefix.StartsWith("errors/processing-failed/", StringComparison.Ordinal));
    }

    [Fact]
    public void Backups_are_stored_as_received_not_gzip_again()
    {
        Assert.Equal("UNCOMPRESSED", Backup(Template.With()).At("CompressionFormat"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(KeyArn)]
    public void Backups_are_encrypted_as_the_records_are(string key)
    {
        var variant = Template.With(("KmsKeyArn", key));

        Assert.Equal(
            Node.Describe(DeliveryStreamTests.Destination(variant).At("EncryptionConfiguration")),
            Node.Describe(Backup(variant).At("EncryptionConfiguration")));
    }

    [Fact]
    public void Backups_expire_after_their_own_retention_and_the_archive_rule_still_applies()
    {
        var variant = Template.With(("SourceBackupRetentionDays", "14"));
        var rules = variant.Properties("ArchiveBucket").At("LifecycleConfiguration", "Rules").Seq();
        var backupPrefix = Backup(variant).At("Prefix").Text();

        var rule = Assert.Single(rules, r => r.Has("Prefix"));
        Assert.StartsWith(rule.At("Prefix").Text(), backupPrefix, StringComparison.Ordinal);
        Assert.Equal("14", rule.At("ExpirationInDays"));
        Assert.Equal("1", rule.At("NoncurrentVersionExpiration", "NoncurrentDays"));
        Assert.Equal("90", Template.Default("SourceBackupRetentionDays"));
        // The archive's rule has no prefix: transition (and expiration, the shorter wins) apply to backups too.
        Assert.False(ArchiveBucketTests.ArchiveRule(variant).Has("Prefix"));
    }

    [Theory]
    [InlineData("GOVERNANCE")]
    [InlineData("COMPLIANCE")]
    public void Object_lock_applies_to_backups_as_to_everything_else(string mode)
    {
        var variant = Template.With(("ObjectLockMode", mode));

        // Default retention is a bucket setting: the backup's bucket is the locked one.
        Assert.True(Backup(variant).At("BucketARN").IsGetAtt("ArchiveBucket", "Arn"));
        Assert.Equal(mode, variant.Properties("ArchiveBucket").At("ObjectLockConfiguration", "Rule", "DefaultRetention", "Mode"));
    }

    [Fact]
    public void Backup_delivery_errors_are_logged_to_their_own_stream()
    {
        var logging = Backup(Template.With()).At("CloudWatchLoggingOptions");

        Assert.Equal("true", logging.At("Enabled"));
        Assert.True(logging.At("LogGroupName").IsRef("DeliveryStreamLogGroup"));
        Assert.True(logging.At("LogStreamName").IsRef("DeliveryStreamBackupLogStream"));
    }
}
