using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

namespace PgAuditFirehose.Benchmarks;

/// <summary>
/// Two builds of the handler in one process, alternated call by call on the same batch: this build and
/// another one's benchmark folder (e.g. a <c>git worktree</c> of the commit before a change), each in its
/// own AssemblyLoadContext. Run apart, their medians move by more than most changes gain on this machine;
/// taken turn about, both see the same noise. A measuring aid for changes, not a result to report.
/// </summary>
internal static class Comparison
{
    public static void Report(string otherBuild, Scenario scenario, int rounds)
    {
        var other = Load(otherBuild, scenario.Name);
        var bench = new HandlerBenchmarks { Batch = scenario };
        bench.Setup();
        (Func<long> Handler, Func<long> Floor) self = (bench.HandlerOneCore, bench.Floor);
        for (var i = 0; i < 300; i++)
        {
            other.Handler();
            self.Handler();
            self.Floor();
        }

        const int Calls = 5;
        var a = new double[rounds];
        var b = new double[rounds];
        var ratio = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            var floor = Rounds.Time(self.Floor, Calls);
            // The order turns each round, so neither side always runs right after the floor.
            double theirs, ours;
            if (r % 2 == 0)
            {
                theirs = Rounds.Time(other.Handler, Calls);
                ours = Rounds.Time(self.Handler, Calls);
            }
            else
            {
                ours = Rounds.Time(self.Handler, Calls);
                theirs = Rounds.Time(other.Handler, Calls);
            }

            floor = (floor + Rounds.Time(self.Floor, Calls)) / 2;
            a[r] = theirs / floor;
            b[r] = ours / floor;
            ratio[r] = ours / theirs;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scenario.Name}, one core: other {Rounds.Quartiles(a)}x the floor, this build {Rounds.Quartiles(b)}x, this/other {Rounds.Quartiles(ratio)}"));
    }

    // The other build's HandlerBenchmarks, set up on the batch of the same name (its fixtures are found
    // from this build's folder, as they are the same files).
    private static (Func<long> Handler, Func<long> Floor) Load(string folder, string scenarioName)
    {
        var context = new FolderContext(Path.GetFullPath(folder));
        var assembly = context.LoadFromAssemblyPath(Path.Combine(Path.GetFullPath(folder), "PgAuditFirehose.Benchmarks.dll"));
        var benchType = assembly.GetType(typeof(HandlerBenchmarks).FullName!, throwOnError: true)!;
        var scenarioType = assembly.GetType(typeof(Scenario).FullName!, throwOnError: true)!;
        var bench = Activator.CreateInstance(benchType)!;
        benchType.GetProperty(nameof(HandlerBenchmarks.Batch))!.SetValue(bench, scenarioType.GetMethod(nameof(Scenario.Named))!.Invoke(null, [scenarioName]));
        benchType.GetMethod(nameof(HandlerBenchmarks.Setup))!.Invoke(bench, null);
        return (benchType.GetMethod(nameof(HandlerBenchmarks.HandlerOneCore))!.CreateDelegate<Func<long>>(bench),
            benchType.GetMethod(nameof(HandlerBenchmarks.Floor))!.CreateDelegate<Func<long>>(bench));
    }

    // Loads the other build's own assemblies from its folder; the framework's are shared.
    private sealed class FolderContext(string folder) : AssemblyLoadContext(isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(path) && !assemblyName.Name!.StartsWith("System.", StringComparison.Ordinal) && assemblyName.Name != "netstandard"
                ? LoadFromAssemblyPath(path)
                : null;
        }
    }
}
