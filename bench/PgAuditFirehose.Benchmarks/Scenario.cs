using System.Globalization;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Benchmarks;

/// <summary>A named batch; its sizes feed the throughput columns.</summary>
public sealed class Scenario
{
    private readonly Lazy<KinesisFirehoseEvent> _request;
    private readonly Lazy<long> _inflated;
    private readonly Lazy<int> _events;

    private Scenario(string name, Func<KinesisFirehoseEvent> build)
    {
        Name = name;
        _request = new(build);
        _inflated = new(() => Batches.InflatedBytes(Request));
        _events = new(() => Batches.EventCount(Request));
    }

    public string Name { get; }

    public KinesisFirehoseEvent Request => _request.Value;

    public long InflatedBytes => _inflated.Value;

    public int Events => _events.Value;

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("typical 0.25MB", () => Batches.Build(Batches.Entries(longStatements: false), 256 * 1024)),
        new("largest fitting", () => Batches.LargestFitting(Batches.Entries(longStatements: false))),
        new("long statements", () => Batches.Build(Batches.Entries(longStatements: true), 256 * 1024, perEnvelope: 50)),
        new("pgbench largest fitting", () => Batches.LargestFitting(Batches.PgbenchEntries())),
        // One entry of 1 MB whose head repeats the RDS prefix's separators: once super-linear, now refused at once.
        new("hostile 1MB head", () => Batches.Build([HostileEntry], 1, perEnvelope: 1)),
        new("sessions 0.25MB", () => Batches.Build(Batches.WithSessionEntries(Batches.Entries(longStatements: false)), 256 * 1024)),
    ];

    private static string HostileEntry =>
        "2026-11-25 10:00:00 UTC:10.0.0.1(5432):" + string.Concat(Enumerable.Repeat("@:[", 350_000)) +
        "LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>";

    /// <summary>The first scenario whose name starts with <paramref name="name"/> (pgbench, long, ...); the typical batch for null.</summary>
    public static Scenario Named(string? name) => name is null
        ? All[0]
        : All.FirstOrDefault(s => s.Name.StartsWith(name, StringComparison.Ordinal))
            ?? throw new ArgumentException($"no batch is named '{name}...': {string.Join(", ", All.Select(s => s.Name))}", nameof(name));

    /// <summary>
    /// The scenarios BenchmarkDotNet runs: those <paramref name="names"/> starts (comma-separated, e.g.
    /// <c>typical,pgbench</c>; from BENCH_BATCHES, which BenchmarkDotNet's child processes inherit), all without.
    /// </summary>
    public static IReadOnlyList<Scenario> Selected(string? names) => string.IsNullOrWhiteSpace(names)
        ? All
        : [.. names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Named).Distinct()];

    public override string ToString() => Name;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Request.Records.Count} records, {Events} log events, {Request.Records.Sum(r => r.Base64EncodedData.Length * 3L / 4) / 1024.0:F0} KiB gzip'd, {InflatedBytes / 1048576.0:F2} MiB inflated");
}
