using PgAuditFirehose.CloudWatchLogs;

namespace PgAuditFirehose.Tests.Support;

/// <summary>Log entries a real PostgreSQL 15 + pgaudit 1.7 wrote (scripts/capture-real-lines.sh).</summary>
internal static class RealLog
{
    private static readonly Lazy<IReadOnlyList<string>> Workload = new(() => Load("workload.log"));
    private static readonly Lazy<IReadOnlyList<string>> Rds = new(() => Load("rds-sample.log"));

    public static IReadOnlyList<string> WorkloadEntries => Workload.Value;

    public static IReadOnlyList<string> RdsLongPrefixEntries => Rds.Value;

    public static string WorkloadText => File.ReadAllText(PathOf("workload.log"));

    /// <summary>The first workload entry that satisfies <paramref name="match"/>; fails the test when there is none.</summary>
    public static string Entry(Func<string, bool> match) =>
        Workload.Value.FirstOrDefault(match) ?? throw new InvalidOperationException("no such entry in Fixtures/real/workload.log; regenerate it with scripts/capture-real-lines.sh");

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "real", name);

    private static IReadOnlyList<string> Load(string name) =>
        [.. SubscriptionEnvelopeWriter.EventsFromLog(File.ReadAllText(PathOf(name)), 0).Select(e => e.Message)];
}
