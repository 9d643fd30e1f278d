using PgAuditFirehose.Cli.Replay;

namespace PgAuditFirehose.Cli.Tests.Replay;

public sealed class ArchivePrefixTests
{
    private static readonly Dictionary<string, string> Keys = new() { ["db_identifier"] = "prod-cluster", ["account_id"] = "111111111111", ["log_stream"] = "prod-instance-1.0" };
    private static readonly DateTimeOffset Arrival = DateTimeOffset.FromUnixTimeMilliseconds(1795603177000);

    [Fact]
    public void The_templates_prefix_expands_to_day_account_and_cluster()
    {
        var prefix = ArchivePrefix.Parse(ArchivePrefix.TemplateDefault, "json");

        Assert.Equal("audit/json/dt=2026-11-25/account=111111111111/cluster=prod-cluster/", prefix.Evaluate(Keys, Arrival));
    }

    [Fact]
    public void The_template_text_with_its_OutputFormat_placeholder_works_too()
    {
        var prefix = ArchivePrefix.Parse("audit/${OutputFormat}/!{timestamp:yyyy/MM/dd/HH}/", "csv");

        Assert.Equal("audit/csv/2026/11/25/10/", prefix.Evaluate(Keys, Arrival));
    }

    [Fact]
    public void A_key_the_record_does_not_have_fails_that_record()
    {
        var prefix = ArchivePrefix.Parse("x/!{partitionKeyFromLambda:tenant}/", "json");

        Assert.Throws<KeyNotFoundException>(() => prefix.Evaluate(Keys, Arrival));
    }

    [Theory]
    [InlineData("a/!{firehose:random-string}/")]
    [InlineData("a/!{timestamp:yyyy-MM-dd'T'}/")]
    [InlineData("a/!{partitionKeyFromLambda:db_identifier/")]
    public void Expressions_that_cannot_be_expanded_exactly_are_refused(string expression) =>
        Assert.Throws<FormatException>(() => ArchivePrefix.Parse(expression, "json"));
}
