using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

// usage: PACKAGE_DIR HANDLER EVENT.json [INVOCATIONS | --assemblies] — one cold invocation: load the
// handler's assembly from the package in a context of its own, construct the type, call the method with
// the event, read the result. With INVOCATIONS, the same instance is invoked that many times and the
// times of the first, the warm-up phases and the last hundred are printed (how tiered compilation plays
// out). With --assemblies, the one invocation is followed by the names of the assemblies the process
// has loaded, one a line: what a first invocation needs (PackagedHandlerTests holds it to that). With
// --peak-rss RESPONSE.json, the one invocation's response goes to that file and the process's peak
// resident memory (VmHWM) is printed: what a function of a given memory needs (MemoryLimitTests).
if (args.Length is not (3 or 4) && !(args.Length == 5 && args[3] == "--peak-rss"))
{
    Console.Error.WriteLine("usage: PgAuditFirehose.ColdStart PACKAGE_DIR Assembly::Namespace.Type::Method EVENT.json [INVOCATIONS | --assemblies | --peak-rss RESPONSE.json]");
    return 2;
}

var (package, handler, eventFile) = (args[0], args[1].Split("::"), args[2]);
var assemblyPath = Path.Combine(package, handler[0] + ".dll");
var resolver = new AssemblyDependencyResolver(assemblyPath);
var context = new AssemblyLoadContext("lambda-package");
context.Resolving += (ctx, name) => resolver.ResolveAssemblyToPath(name) is { } path ? ctx.LoadFromAssemblyPath(path) : null;
var type = context.LoadFromAssemblyPath(assemblyPath).GetType(handler[1], throwOnError: true)!;
var method = type.GetMethod(handler[2], BindingFlags.Public | BindingFlags.Instance)!;
var instance = Activator.CreateInstance(type)!;
if (args.Length == 5)
{
    using (var input = File.OpenRead(eventFile))
    using (var output = (Stream)method.Invoke(instance, [input])!)
    using (var file = File.Create(args[4]))
    {
        output.CopyTo(file);
    }

    Console.Out.WriteLine(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)));
    return 0;
}

if (args.Length == 3 || args[3] == "--assemblies")
{
    using var input = File.OpenRead(eventFile);
    using var output = (Stream)method.Invoke(instance, [input])!;
    Console.Out.WriteLine($"{output.Length} bytes");
    if (args.Length == 4)
    {
        foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies()) Console.Out.WriteLine(loaded.GetName().Name);
    }

    return 0;
}

var invocations = int.Parse(args[3], CultureInfo.InvariantCulture);
var request = File.ReadAllBytes(eventFile);
var times = new double[invocations];
for (var i = 0; i < invocations; i++)
{
    var started = Stopwatch.GetTimestamp();
    using var input = new MemoryStream(request, writable: false);
    using var output = (Stream)method.Invoke(instance, [input])!;
    output.CopyTo(Stream.Null);
    times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

double Sum(int from, int to) => times.Skip(from).Take(Math.Max(0, Math.Min(to, invocations) - from)).Sum();
Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"first {times[0]:F1} ms; 2-10 {Sum(1, 10):F0} ms; 11-100 {Sum(10, 100):F0} ms; 101-{invocations} {Sum(100, invocations):F0} ms; all {times.Sum():F0} ms; the last hundred {Sum(invocations - 100, invocations) / 100:F2} ms each"));
return 0;
