using PgAuditFirehose.Overflow;

namespace PgAuditFirehose.Tests.Overflow;

public class OverflowPrefixTests
{
    private static readonly KeyValuePair<string, string>[] Keys = [new("db_identifier", "prod-db"), new("log_stream", "prod-db-instance-1.0")];

    [Fact]
    public void Expands_partition_keys_and_arrival_time_like_firehose()
    {
        var prefix = OverflowPrefix.Parse("audit/json/cluster=!{partitionKeyFromLambda:db_identifier}/dt=!{timestamp:yyyy-MM-dd}/!{partitionKeyFromLambda:log_stream}-");

        Assert.Equal("audit/json/cluster=prod-db/dt=2022-03-25/prod-db-instance-1.0-", prefix.Expand(Keys, 1648216349000));
    }

    [Fact]
    public void Hour_and_path_separators_in_timestamps_are_kept()
    {
        Assert.Equal("x/2022/03/25/13/", OverflowPrefix.Parse("x/!{timestamp:yyyy/MM/dd/HH}/").Expand(Keys, 1648216349000));
    }

    [Theory]
    [InlineData("a/!{firehose:random-string}/", "firehose:random-string")]
    [InlineData("a/!{timestamp:EEE}/", "timestamp:EEE")]
    [InlineData("a/{db}/", "outside")]
    public void Expressions_the_function_cannot_expand_are_rejected(string template, string reason)
    {
        var e = Assert.Throws<FormatException>(() => OverflowPrefix.Parse(template));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
