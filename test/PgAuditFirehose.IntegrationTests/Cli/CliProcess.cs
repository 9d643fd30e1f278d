using PgAuditFirehose.IntegrationTests.Server;

namespace PgAuditFirehose.IntegrationTests.Cli;

/// <summary>Runs the <c>pgaudit-firehose</c> CLI as a separate process, the way a user does.</summary>
internal static class CliProcess
{
    private static readonly Lazy<string> Assembly = new(FindAssembly);

    /// <summary>The configuration these tests were built in (Debug or Release): the CLI next to them is built the same way.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static ProcessResult Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, byte[]? stdin = null, string? workingDirectory = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var env = new Dictionary<string, string?> { ["LOG_LINE_PREFIX"] = null, ["OUTPUT_FORMAT"] = null, ["MAX_INFLATED_BYTES"] = null };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) env[name] = value;
        return PgAuditServer.Run(dotnet, ["exec", Assembly.Value, .. arguments], env, TimeSpan.FromMinutes(2), stdin, workingDirectory);
    }

    // Next to the tests when the build copied its runtimeconfig there, else in the CLI project's own output.
    private static string FindAssembly()
    {
        var here = Path.Combine(AppContext.BaseDirectory, "pgaudit-firehose.dll");
        if (File.Exists(here) && File.Exists(Path.ChangeExtension(here, ".runtimeconfig.json"))) return here;
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var own = Path.Combine(PgAuditServer.RepositoryRoot, "src", "PgAuditFirehose.Cli", "bin", configuration, framework.Name, "pgaudit-firehose.dll");
        return File.Exists(own) ? own : throw new FileNotFoundException($"the CLI is built neither at {here} nor at {own}");
    }
}
