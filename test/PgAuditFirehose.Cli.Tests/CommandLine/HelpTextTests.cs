using System.CommandLine;
using System.Text.RegularExpressions;
using PgAuditFirehose.Cli.Tests.Servers;

namespace PgAuditFirehose.Cli.Tests.CommandLine;

/// <summary>What --help promises: every file it names as an example is in the repository.</summary>
public sealed partial class HelpTextTests
{
    [Fact]
    public void Every_repository_path_a_help_text_names_exists()
    {
        var named = Descriptions(Tool.Create())
            .SelectMany(d => RepositoryPath().Matches(d).Select(m => m.Value.TrimEnd('.', ',', ')')))
            .Distinct()
            .ToList();

        Assert.Contains("events/seed-blog.json", named);
        Assert.All(named, path => Assert.True(File.Exists(Repository.Path(path.Split('/'))), $"--help names {path}, which does not exist"));
    }

    [Fact]
    public async Task The_help_of_every_command_is_printed_with_exit_code_0()
    {
        foreach (var command in Commands(Tool.Create()))
        {
            var (exit, output, error) = await CliRun.InvokeAsync(Tool.Create(), [.. command, "--help"]);
            Assert.True(exit == 0, $"{string.Join(' ', command)} --help: {error}");
            Assert.Contains("Usage:", output, StringComparison.Ordinal);
        }
    }

    internal static IEnumerable<string[]> Commands(Command command, string[]? path = null)
    {
        path ??= [];
        yield return path;
        foreach (var sub in command.Subcommands)
        {
            foreach (var p in Commands(sub, [.. path, sub.Name])) yield return p;
        }
    }

    private static IEnumerable<string> Descriptions(Command command)
    {
        if (command.Description is { } d) yield return d;
        foreach (var option in command.Options) if (option.Description is { } o) yield return o;
        foreach (var argument in command.Arguments) if (argument.Description is { } a) yield return a;
        foreach (var sub in command.Subcommands)
        {
            foreach (var text in Descriptions(sub)) yield return text;
        }
    }

    [GeneratedRegex(@"\b(?:events|scripts|test|src)/[A-Za-z0-9_./-]+")]
    private static partial Regex RepositoryPath();
}
