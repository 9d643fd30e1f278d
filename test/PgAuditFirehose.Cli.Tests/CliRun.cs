using System.CommandLine;

namespace PgAuditFirehose.Cli.Tests;

/// <summary>Runs a command the way Program.cs does (<see cref="Tool.InvokeAsync"/>), with standard output and error captured.</summary>
internal static class CliRun
{
    public static Task<(int ExitCode, string Output, string Error)> InvokeAsync(Command command, params string[] args) =>
        InvokeAsync(new RootCommand { command }, args);

    public static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(RootCommand root, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Tool.InvokeAsync(root, args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
