using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using PgAuditFirehose.Benchmarks;

// `--describe` prints the scenarios; `--quick` gives a rough median per scenario, `--ratio` the typical
// batch's one-core ratio to the floor, steady to about 1 %, `--stages` its time stage by stage, and
// `--compare FOLDER` this build against another one turn about (all for iterating, not measurements to
// report); anything else goes to BenchmarkDotNet (e.g. --filter '*').
if (args.Length == 2 && args[0] == "--batch-sizes")
{
    BatchSizes.Report(args[1]);
    return 0;
}

if (args.Contains("--describe"))
{
    foreach (var s in Scenario.All) Console.WriteLine(s.Describe());
    return 0;
}

if (args.Contains("--profile"))
{
    // A long loop of a batch (the typical one unless named) on one core, for a sampling profiler (perf, dotnet-trace).
    var bench = new HandlerBenchmarks { Batch = Scenario.Named(args.SkipWhile(a => a != "--profile").Skip(1).FirstOrDefault()) };
    bench.Setup();
    for (var i = 0; i < 3000; i++) bench.HandlerOneCore();
    return 0;
}

if (args.Contains("--stages"))
{
    // Where a batch's time goes, stage by stage, on one core (the typical batch unless one is named).
    Stages.Report(Scenario.Named(args.SkipWhile(a => a != "--stages").Skip(1).FirstOrDefault()));
    return 0;
}

if (args.Contains("--compare"))
{
    // This build's one-core handler against another build's (its benchmark folder), turn about in one
    // process on a batch (the typical one unless named): how a change is judged on a noisy machine.
    var rest = args.SkipWhile(a => a != "--compare").Skip(1).ToArray();
    if (rest.Length == 0) throw new ArgumentException("--compare needs the other build's benchmark folder (bin/Release/net10.0 of its checkout)");
    // A third argument sets the rounds (161 unless given): more narrow the median's spread for small changes.
    var rounds = rest.Length > 2 ? int.Parse(rest[2], CultureInfo.InvariantCulture) : 161;
    Comparison.Report(rest[0], Scenario.Named(rest.Length > 1 ? rest[1] : null), rounds);
    return 0;
}

if (args.Contains("--ratio"))
{
    // A batch's one-core handler against the floor (the typical batch unless one is named), rounds interleaved
    // so both see the same machine.
    var scenario = Scenario.Named(args.SkipWhile(a => a != "--ratio").Skip(1).FirstOrDefault());
    var bench = new HandlerBenchmarks { Batch = scenario };
    bench.Setup();
    for (var i = 0; i < 300; i++) { bench.Floor(); bench.HandlerOneCore(); }
    var ratios = new double[41];
    var floors = new double[ratios.Length];
    for (var r = 0; r < ratios.Length; r++)
    {
        floors[r] = Rounds.Time(bench.Floor, 20);
        ratios[r] = Rounds.Time(bench.HandlerOneCore, 20) / floors[r];
    }

    Console.WriteLine($"{scenario.Name}, one core: {Rounds.Quartiles(ratios)}x the floor, floor {Rounds.Median(floors):F3} ms");
    return 0;
}

if (args.Contains("--quick"))
{
    foreach (var s in Scenario.All)
    {
        var bench = new HandlerBenchmarks { Batch = s };
        bench.Setup();
        var floor = Median(() => bench.Floor());
        var handler = Median(() => bench.Handler());
        var oneCore = Median(() => bench.HandlerOneCore());
        Console.WriteLine($"{s.Name}: floor {floor:F2} ms, handler {handler:F2} ms ({handler / floor:F2}x), one core {oneCore:F2} ms ({oneCore / floor:F2}x, {s.InflatedBytes / 1048576.0 / (oneCore / 1000):F0} MB/s inflated)");
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(HandlerBenchmarks).Assembly).Run(args, DefaultConfig.Instance.AddColumn(new ThroughputColumn()).AddColumn(new AllocationPerEventColumn()));
return 0;

// Warms up past tiered compilation, then takes the median of 15 rounds of 10 calls, in milliseconds per call.
static double Median(Func<long> run)
{
    for (var i = 0; i < 200; i++) run();
    var rounds = new double[15];
    for (var r = 0; r < rounds.Length; r++) rounds[r] = Rounds.Time(run, 10);
    return Rounds.Median(rounds);
}
