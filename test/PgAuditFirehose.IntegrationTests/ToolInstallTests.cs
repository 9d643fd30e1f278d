using PgAuditFirehose.IntegrationTests.Cli;
using PgAuditFirehose.IntegrationTests.Server;

namespace PgAuditFirehose.IntegrationTests;

/// <summary>The CLI as the README installs it: <c>dotnet pack</c>, then <c>dotnet tool install</c> from that folder.</summary>
public sealed class ToolInstallTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("pgaudit-tool-it.");

    [Fact]
    public void The_packed_tool_installs_as_pgaudit_firehose_and_runs_the_handler_on_a_fixture()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var packages = Path.Combine(_scratch.FullName, "packages");
        var tools = Path.Combine(_scratch.FullName, "tools");
        var project = Path.Combine(PgAuditServer.RepositoryRoot, "src", "PgAuditFirehose.Cli");

        // --no-build: the tests' own build of the CLI, so this test never races the build of the other projects.
        var packed = PgAuditServer.Run(dotnet, ["pack", project, "--no-build", "-c", CliProcess.Configuration, "-o", packages, "--nologo"], null, TimeSpan.FromMinutes(3));
        Assert.True(packed.ExitCode == 0, packed.Stdout + packed.Stderr);
        var installed = PgAuditServer.Run(dotnet, ["tool", "install", "pgaudit-firehose", "--tool-path", tools, "--add-source", packages], null, TimeSpan.FromMinutes(3));
        Assert.True(installed.ExitCode == 0, installed.Stdout + installed.Stderr);

        var fixture = Path.Combine(PgAuditServer.RepositoryRoot, "events", "seed-blog.json");
        var run = PgAuditServer.Run(Path.Combine(tools, "pgaudit-firehose"), ["invoke", fixture, "--decode"],
            new Dictionary<string, string?> { ["LOG_LINE_PREFIX"] = null, ["OUTPUT_FORMAT"] = null });

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains(": Ok db_identifier=", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"audit_type\":\"SESSION\"", run.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Delete(recursive: true);
}
