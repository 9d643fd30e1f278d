using System.Text.RegularExpressions;
using PgAuditFirehose.Cli.Tests.Servers;

namespace PgAuditFirehose.Cli.Tests.CommandLine;

/// <summary>Every usage error, whichever command: exit code 2, one line that names the problem and points to --help.</summary>
public sealed class UsageErrorTests
{
    public static TheoryData<string[], string> Mistakes => new()
    {
        { [], "command" },
        { ["nonsense"], "error: Unrecognized command or argument 'nonsense'" },
        { ["db"], "command" },
        { ["invoke"], "invoke: missing EVENT" },
        { ["invoke", "no-such-event.json"], "no-such-event.json' does not exist" },
        { ["parse", "--format", "xml"], "xml" },
        { ["parse", "--bogus"], "unknown option '--bogus'" },
        { ["invoke", "x.json", "--bogus"], "Unrecognized command or argument '--bogus'" },
        { ["invoke", Repository.Path("events", "seed-blog.json"), "--max-inflated-bytes", "12"], "--max-inflated-bytes='12' is not valid" },
        { ["parse", "--log-line-prefix", "%t %Z ", "-"], "'%Z'" },
        { ["make-event", Repository.Path("events", "source", "seed-blog.log"), "--shape", "Foo"], "Foo" },
        { ["make-event", Repository.Path("events", "source", "seed-blog.log"), "--events-per-envelope", "x"], "--events-per-envelope: 'x' is not a whole number" },
        { ["make-event", Repository.Path("events", "source", "seed-blog.log"), "--events-per-envelope", "0"], "--events-per-envelope: '0' is not a whole number from 1 up" },
        { ["make-event", Repository.Path("scripts", "workload.sql")], "not a PostgreSQL stderr log" },
        { ["replay-failed"], "--bucket" },
        { ["replay-failed", "--bucket", "b", "--since", "yesterday"], "--since: 'yesterday' is not a day" },
        { ["replay-failed", "--bucket", "b", "--format", "avro"], "avro" },
        { ["db", "setup", "--log", "everything"], "--log:" },
        { ["db", "check", "--connection", "Nonsense=1"], "--connection:" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_usage_error_is_one_line_naming_the_problem_and_pointing_to_help_with_exit_code_2(string[] args, string problem)
    {
        var (exit, output, error) = await CliRun.InvokeAsync(Tool.Create(), args);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
        Assert.EndsWith(" --help'", line.TrimEnd('\r'), StringComparison.Ordinal);
        // No CLR type names: what the user typed and what is accepted, in their terms (paths aside).
        var words = Regex.Replace(line, "'[^']*/[^']*'", "'path'");
        Assert.DoesNotMatch(@"\b(System|PgAuditFirehose)\.[A-Z]", words);
        Assert.DoesNotContain("expected type", words, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_help_it_points_to_is_the_failing_commands_own()
    {
        var (_, _, error) = await CliRun.InvokeAsync(Tool.Create(), "db", "setup", "--log", "everything");

        Assert.EndsWith("see 'pgaudit-firehose db setup --help'", error.TrimEnd(), StringComparison.Ordinal);
    }
}
