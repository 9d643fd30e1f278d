using System.CommandLine;
using System.Text.RegularExpressions;
using PgAuditFirehose.Cli.Tests.Servers;

namespace PgAuditFirehose.Cli.Tests.Docs;

/// <summary>
/// README.md and every docs/*.md page, whoever wrote them: their relative links lead somewhere, the repository
/// paths they name exist, and every pgaudit-firehose command line in them names a command and options it has.
/// </summary>
public sealed partial class DocsTests
{
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md" };
        foreach (var page in Directory.GetFiles(Repository.Path("docs"), "*.md").Order(StringComparer.Ordinal))
        {
            pages.Add("docs/" + Path.GetFileName(page));
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_leads_to_a_file_and_heading_that_exist(string page)
    {
        var text = Read(page);
        var directory = Path.GetDirectoryName(Repository.Path(page.Split('/')))!;

        foreach (var target in MarkdownLink().Matches(text).Select(m => m.Groups["target"].Value))
        {
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? target : target[..hash];
            var path = file.Length == 0 ? Repository.Path(page.Split('/')) : Path.GetFullPath(Path.Combine(directory, file));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{page} links to {target}: {path} does not exist");
            if (hash >= 0 && path.EndsWith(".md", StringComparison.Ordinal))
            {
                var anchor = target[(hash + 1)..];
                Assert.True(Anchors(File.ReadAllText(path)).Contains(anchor), $"{page} links to {target}: no heading there has the anchor #{anchor}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_repository_path_it_names_exists(string page)
    {
        foreach (var path in RepositoryPath().Matches(Read(page)).Select(m => m.Value.TrimEnd('.', ',', ':', ')')).Distinct())
        {
            Assert.True(File.Exists(Repository.Path(path.Split('/'))) || Directory.Exists(Repository.Path(path.Split('/'))), $"{page} names {path}, which does not exist");
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_pgaudit_firehose_command_line_names_a_command_and_options_it_has(string page)
    {
        var root = Tool.Create();
        foreach (var line in CommandLines(Read(page)))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('[', ']', '`', '"', '\'')).ToList();
            Command command = root;
            var i = 0;
            while (i < words.Count && command.Subcommands.FirstOrDefault(c => c.Name == words[i]) is { } sub)
            {
                command = sub;
                i++;
            }

            // A page may name the tool alone (`pgaudit-firehose --help`); otherwise the first word must be a command.
            if (i == 0 && (i == words.Count || !words[i].StartsWith('-')))
            {
                Assert.Fail($"{page}: 'pgaudit-firehose {line}' names no command of pgaudit-firehose");
            }

            foreach (var option in words.Skip(i).TakeWhile(w => !EndsCommand(w)).Where(w => w.StartsWith("--", StringComparison.Ordinal) && w.Length > 2))
            {
                var name = option.Split('=', '|')[0];
                Assert.True(HasOption(command, name), $"{page}: '{line}': {command.Name} has no option {name}");
            }
        }
    }

    [Fact]
    public void The_readme_stays_a_front_door()
    {
        var lines = File.ReadAllLines(Repository.Path("README.md")).Length;

        Assert.True(lines <= 450, $"README.md has {lines} lines: move reference detail to a page in docs/ and link it (aim: ~400)");
    }

    // The text after each `pgaudit-firehose ` (or `dotnet run --project src/PgAuditFirehose.Cli -- `) in code, a continued line joined.
    private static IEnumerable<string> CommandLines(string text)
    {
        var joined = text.Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (Match m in Invocation().Matches(joined))
        {
            // `dotnet tool install ... pgaudit-firehose` names the package, not a command.
            var lineStart = joined.LastIndexOf('\n', m.Index) + 1;
            if (joined[lineStart..m.Index].Contains("dotnet tool ", StringComparison.Ordinal)) continue;
            // A placeholder (`-- COMMAND ...`) stands for any command.
            if (m.Groups["rest"].Value.Split(' ')[0] is { Length: > 0 } first && first.All(c => char.IsUpper(c) || c == '_')) continue;
            yield return m.Groups["rest"].Value;
        }
    }

    private static bool EndsCommand(string word) => word is "|" or ">" or ">>" or "<" or "&&" or ";" or "#" or "||" || word.StartsWith('#') || word.EndsWith('`');

    private static bool HasOption(Command command, string name)
    {
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            if (c.Options.Any(o => o.Name == name || o.Aliases.Contains(name))) return true;
        }

        return name is "--help" or "--version";
    }

    private static string Read(string page) => File.ReadAllText(Repository.Path(page.Split('/')));

    // GitHub's heading anchors: lower case, punctuation dropped (not '-' or '_'), spaces to '-', repeats numbered.
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inCode = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
            if (inCode || !Heading().IsMatch(line)) continue;
            var slug = AnchorDropped().Replace(Heading().Match(line).Groups["text"].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-');
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++) unique = $"{slug}-{n}";
        }

        return anchors;
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(?<![\w/.$-])(?:events|scripts|docs|bench|\.ci)/[A-Za-z0-9_./-]*[A-Za-z0-9_]")]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"(?:(?<![\w/-])pgaudit-firehose|dotnet run --project src/PgAuditFirehose\.Cli(?: -c Release)? --) (?<rest>[^\n`]*)")]
    private static partial Regex Invocation();

    [GeneratedRegex(@"^#{1,6} (?<text>.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{M}\p{N}\p{Pc} -]")]
    private static partial Regex AnchorDropped();
}
