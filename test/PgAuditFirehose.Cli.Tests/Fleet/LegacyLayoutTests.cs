using PgAuditFirehose.Cli.Fleet;

namespace PgAuditFirehose.Cli.Tests.Fleet;

public sealed class LegacyLayoutTests
{
    [Theory]
    [InlineData("audit/json/cluster=database-1/dt=2026-11-25/database-1-instance-1.0-pgaudit-firehose-1-2026-11-25-10-00-00-abc.gz",
        "audit/json/dt=2026-11-25/account=111111111111/cluster=database-1/database-1-instance-1.0-pgaudit-firehose-1-2026-11-25-10-00-00-abc.gz")]
    [InlineData("audit/parquet-overflow/cluster=unknown/dt=2026-01-02/i-1-overflow-3f2a.gz",
        "audit/parquet-overflow/dt=2026-01-02/account=111111111111/cluster=unknown/i-1-overflow-3f2a.gz")]
    public void A_single_cluster_key_moves_under_its_day_account_and_cluster_with_its_name(string key, string expected)
    {
        Assert.Equal(expected, LegacyLayout.FleetKey(key, "111111111111"));
    }

    [Theory]
    [InlineData("audit/json/dt=2026-11-25/account=111111111111/cluster=database-1/x.gz")]
    [InlineData("errors/processing-failed/dt=2026-11-25/x")]
    [InlineData("audit/json/cluster=database-1/dt=2026-11-25/")]
    [InlineData("audit/json/cluster=database-1/dt=latest/x.gz")]
    public void Keys_of_the_fleet_layout_and_other_prefixes_stay(string key)
    {
        Assert.Null(LegacyLayout.FleetKey(key, "111111111111"));
    }
}
