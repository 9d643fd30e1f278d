using System.Text.RegularExpressions;

namespace PgAuditFirehose.Cli.Fleet;

/// <summary>
/// The single-cluster layout <c>audit/&lt;dir&gt;/cluster=&lt;id&gt;/dt=&lt;day&gt;/&lt;name&gt;</c> and where
/// the same object belongs in the fleet layout, <c>audit/&lt;dir&gt;/dt=&lt;day&gt;/account=&lt;account&gt;/cluster=&lt;id&gt;/&lt;name&gt;</c>.
/// The object name stays (Firehose's names, and overflow-&lt;hash&gt;.gz, are unique by themselves).
/// </summary>
internal static partial class LegacyLayout
{
    public const string Root = "audit/";

    /// <summary>The fleet key of a single-cluster key, or null when <paramref name="key"/> is not one.</summary>
    public static string? FleetKey(string key, string accountId)
    {
        ArgumentNullException.ThrowIfNull(key);
        var match = LegacyKey().Match(key);
        if (!match.Success) return null;
        var g = match.Groups;
        return $"{Root}{g["dir"].Value}/dt={g["day"].Value}/account={accountId}/cluster={g["cluster"].Value}/{g["name"].Value}";
    }

    public static bool IsAccountId(string value) => AccountId().IsMatch(value);

    // dt= is a real day, so a fleet key (which starts with dt=) never matches as a cluster named dt=...
    [GeneratedRegex(@"^audit/(?<dir>[a-z-]+)/cluster=(?<cluster>[A-Za-z0-9._-]+)/dt=(?<day>[0-9]{4}-[0-9]{2}-[0-9]{2})/(?<name>[^/]+)$")]
    private static partial Regex LegacyKey();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountId();
}
