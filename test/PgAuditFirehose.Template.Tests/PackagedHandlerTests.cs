using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>
/// What `sam build` packages runs the way the managed runtime runs it: the Makefile target publishes
/// into an empty ARTIFACTS_DIR, the template's Handler string names the assembly, type and method, and
/// the method is found and invoked by reflection on a fixture event, in a load context of its own.
/// </summary>
public sealed class PackagedHandlerTests : IClassFixture<PackagedHandlerTests.Package>
{
    private readonly Package _package;

    public PackagedHandlerTests(Package package) => _package = package;

    [Fact]
    public void Handler_named_by_the_template_transforms_a_fixture_event_from_the_package()
    {
        var handler = CfnTemplate.Current.With().Properties("TransformFunction").At("Handler").Text();
        var parts = handler.Split("::");
        var context = new AssemblyLoadContext("lambda-package", isCollectible: true);
        var resolver = new AssemblyDependencyResolver(Path.Combine(_package.Directory, parts[0] + ".dll"));
        context.Resolving += (ctx, name) => resolver.ResolveAssemblyToPath(name) is { } path ? ctx.LoadFromAssemblyPath(path) : null;
        try
        {
            var assembly = context.LoadFromAssemblyPath(Path.Combine(_package.Directory, parts[0] + ".dll"));
            var type = assembly.GetType(parts[1], throwOnError: true)!;
            var method = type.GetMethod(parts[2], BindingFlags.Public | BindingFlags.Instance)!;
            Assert.Equal(typeof(Stream), method.ReturnType);
            Assert.Equal([typeof(Stream)], method.GetParameters().Select(p => p.ParameterType));

            var instance = Activator.CreateInstance(type)!;
            using var input = File.OpenRead(RepositoryFiles.InRepository("events", "seed-blog.json"));
            using var output = (Stream)method.Invoke(instance, [input])!;
            using var response = JsonDocument.Parse(output);

            var records = response.RootElement.GetProperty("records").EnumerateArray().ToList();
            Assert.Equal(["Dropped", "Ok"], records.Select(r => r.GetProperty("result").GetString()));
            var ndjson = Encoding.UTF8.GetString(Convert.FromBase64String(records[1].GetProperty("data").GetString()!));
            Assert.Equal(2, ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Contains("\"object_name\":\"public.bar\"", ndjson, StringComparison.Ordinal);
            (instance as IDisposable)?.Dispose();
        }
        finally
        {
            context.Unload();
        }
    }

    // The managed runtime runs the function framework-dependent, where the SDK trims nothing (NETSDK1102:
    // trimming needs a self-contained app); what is never used must then at least stay unloaded. A fresh
    // process, as Lambda's is: this one has System.Text.Json loaded already.
    [Fact]
    public void First_invocation_loads_neither_the_AWS_SDK_nor_System_Text_Json()
    {
        var host = Path.Combine(_package.Directory + "-host");
        Run("dotnet", ["build", RepositoryFiles.InRepository("bench", "PgAuditFirehose.ColdStart", "PgAuditFirehose.ColdStart.csproj"), "-c", "Release", "-o", host, "--nologo", "-v", "q"]);
        var handler = CfnTemplate.Current.With().Properties("TransformFunction").At("Handler").Text();
        var loaded = Run("dotnet", [Path.Combine(host, "PgAuditFirehose.ColdStart.dll"), _package.Directory, handler, RepositoryFiles.InRepository("events", "real-workload.json"), "--assemblies"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).ToList();

        Assert.Contains("PgAuditFirehose", loaded);
        Assert.Contains("PgAuditFirehose.Lambda", loaded);
        Assert.DoesNotContain(loaded, name => name.StartsWith("AWSSDK", StringComparison.Ordinal) || name.StartsWith("System.Text.Json", StringComparison.Ordinal));
        System.IO.Directory.Delete(host, recursive: true);
    }

    private static string Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["OUTPUT_FORMAT"] = "json";
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "packaged-handler-test";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    [Fact]
    public void Package_holds_the_handler_assembly_its_dependencies_and_runtime_config()
    {
        foreach (var file in new[] { "PgAuditFirehose.Lambda.dll", "PgAuditFirehose.dll", "PgAuditFirehose.Lambda.deps.json", "PgAuditFirehose.Lambda.runtimeconfig.json" })
        {
            Assert.True(File.Exists(Path.Combine(_package.Directory, file)), $"{file} is missing from the package");
        }
    }

    [Fact]
    public void Package_holds_the_zone_data_the_templates_TZDIR_names()
    {
        // LOG_TIMEZONE's zones come from TZDIR: the runtime's image is not known to carry a time zone database.
        var tzdir = CfnTemplate.Current.With().Properties("TransformFunction").At("Environment", "Variables", "TZDIR").Text();
        Assert.StartsWith("/var/task/", tzdir, StringComparison.Ordinal);
        var packaged = Path.Combine(_package.Directory, tzdir["/var/task/".Length..]);

        foreach (var zone in new[] { "Asia/Shanghai", "Asia/Kolkata", "America/Chicago", "Europe/London", "Australia/Adelaide", "UTC" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(packaged, zone)).AsSpan().StartsWith("TZif"u8), $"{zone} is missing from {packaged}");
        }

        Assert.False(System.IO.Directory.Exists(Path.Combine(packaged, "right")), "the leap-second copies are not needed");
    }

    /// <summary>Runs the Makefile target once for the class, like `sam build` does.</summary>
    public sealed class Package : IDisposable
    {
        public Package()
        {
            Directory = Path.Combine(Path.GetTempPath(), "pgaudit-firehose-package-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Directory);
            var make = new ProcessStartInfo("make", ["-C", RepositoryFiles.InRepository("src", "PgAuditFirehose.Lambda"), "build-TransformFunction", $"ARTIFACTS_DIR={Directory}", $"RUNTIME_ID={HostRuntime}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(make)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"make build-TransformFunction failed ({process.ExitCode}):\n{stdout.Result}\n{stderr}");
        }

        public string Directory { get; }

        // A ReadyToRun image loads only on its own architecture: build for this machine's (the template's
        // arm64 package is built and checked by scripts/check-template.sh).
        private static string HostRuntime => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
