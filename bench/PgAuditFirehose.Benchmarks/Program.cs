using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using PgAuditFirehose.Benchmarks;

// `--describe` prints the scenarios; `--quick` times the handler once per scenario (a smoke check,
// not a measurement); anything else goes to BenchmarkDotNet (e.g. --filter '*').
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
    // A long loop of the typical batch for a sampling profiler (dotnet-trace).
    var bench = new HandlerBenchmarks { Batch = Scenario.All[0] };
    bench.Setup();
    for (var i = 0; i < 300; i++) bench.Handler();
    return 0;
}

if (args.Contains("--quick"))
{
    foreach (var s in Scenario.All)
    {
        var bench = new HandlerBenchmarks { Batch = s };
        bench.Setup();
        bench.Floor();
        bench.Handler();
        var t = Stopwatch.StartNew();
        for (var i = 0; i < 30; i++) bench.Floor();
        var floor = t.Elapsed.TotalMilliseconds / 30;
        t.Restart();
        for (var i = 0; i < 30; i++) bench.Handler();
        var handler = t.Elapsed.TotalMilliseconds / 30;
        Console.WriteLine($"{s.Name}: floor {floor:F1} ms, handler {handler:F1} ms, ratio {handler / floor:F2}, handler {s.InflatedBytes / 1048576.0 / (handler / 1000):F0} MB/s inflated");
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(HandlerBenchmarks).Assembly).Run(args, DefaultConfig.Instance.AddColumn(new ThroughputColumn()).AddColumn(new AllocationPerEventColumn()));
return 0;
