using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using PgAuditFirehose.Cli.Db;
using PgAuditFirehose.Cli.Replay;

namespace PgAuditFirehose.Cli;

/// <summary>
/// The <c>pgaudit-firehose</c> command tree, and how every command ends: a usage error (bad option, missing file)
/// is one line naming the problem and pointing to <c>--help</c>, exit code 2; a failed step exits 1.
/// </summary>
internal static class Tool
{
    public const string ToolName = "pgaudit-firehose";

    /// <param name="credentials">Null: the AWS SDK's default chain. Tests pass dummy credentials for moto.</param>
    public static RootCommand Create(AWSCredentials? credentials = null) => new("pgaudit-firehose: turn pgAudit logs into flat audit records, locally.")
    {
        InvokeCommand.Create(),
        MakeEventCommand.Create(),
        ParseCommand.Create(),
        DbCommand.Create(),
        ReplayFailedCommand.Create(credentials),
        Fleet.MoveToFleetLayoutCommand.Create(),
        Reprocess.ReprocessCommand.Create(credentials),
    };

    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        error ??= Console.Error;
        var result = root.Parse(args);
        if (result.Action is ParseErrorAction)
        {
            // What the user typed wrong first, what is missing after.
            var problems = result.Errors.Select(Describe).Distinct().OrderBy(p => p.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1);
            await error.WriteLineAsync(UsageLine(string.Join("; ", problems), result.CommandResult)).ConfigureAwait(false);
            return 2;
        }

        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output ?? Console.Out, Error = error };
        try
        {
            return await result.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync(UsageLine(e.Message, result.CommandResult)).ConfigureAwait(false);
            return 2;
        }
    }

    // System.CommandLine's messages, on one line and saying which option or argument they are about.
    private static string Describe(ParseError error)
    {
        var message = Regex.Replace(error.Message, @"\s*\n\s*", " ").TrimEnd('.');
        if (message.StartsWith("Required argument missing", StringComparison.Ordinal))
        {
            return error.SymbolResult switch
            {
                ArgumentResult { Parent: CommandResult command } argument => $"{command.Command.Name}: missing {argument.Argument.Name}",
                CommandResult command => $"{command.Command.Name}: missing {string.Join(' ', command.Command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0).Select(a => a.Name))}",
                _ => message,
            };
        }

        var name = error.SymbolResult switch
        {
            OptionResult option => option.Option.Name,
            ArgumentResult { Parent: OptionResult option } => option.Option.Name,
            _ => null,
        };
        return name is null || message.Contains(name, StringComparison.Ordinal) ? message : $"{name}: {message}";
    }

    private static string UsageLine(string problem, CommandResult command)
    {
        var path = new List<string>();
        for (var c = command; c is not null; c = c.Parent as CommandResult)
        {
            if (c.Command is not RootCommand) path.Insert(0, c.Command.Name);
        }

        path.Insert(0, ToolName);
        return $"error: {problem.TrimEnd('.')}; see '{string.Join(' ', path)} --help'";
    }
}
