using PgAuditFirehose.Cli.Db;

namespace PgAuditFirehose.Cli.Tests.Db;

public sealed class PgAuditClassesTests
{
    [Theory]
    [InlineData("ddl,role", "ddl, role")]
    [InlineData(" READ , Write,-misc ", "read, write, -misc")]
    [InlineData("all,-misc_set", "all, -misc_set")]
    public void Class_lists_are_normalized(string value, string expected)
    {
        Assert.Equal(expected, PgAuditClasses.Normalize(value, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void An_unknown_class_is_named_in_the_error()
    {
        Assert.Null(PgAuditClasses.Normalize("ddl,selects", out var error));
        Assert.Contains("'selects'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", true)]
    [InlineData("", true)]
    [InlineData("-read", true)]
    [InlineData("ddl", false)]
    [InlineData("all,-read", false)]
    public void Nothing_is_logged_only_by_none_or_removals(string value, bool nothing) =>
        Assert.Equal(nothing, PgAuditClasses.LogsNothing(value));

    [Fact]
    public void Read_and_write_are_named_as_the_classes_that_follow_the_workload()
    {
        Assert.Contains("READ and WRITE log every such statement", PgAuditClasses.Cost("all, -function"), StringComparison.Ordinal);
        Assert.Contains("a small volume", PgAuditClasses.Cost("ddl, role"), StringComparison.Ordinal);
    }
}
