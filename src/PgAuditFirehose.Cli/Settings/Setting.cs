using System.CommandLine;

namespace PgAuditFirehose.Cli.Settings;

/// <summary>
/// One setting of the transformation: its option, its environment variable (the Lambda function's own name for
/// it) and its default. Every command that takes it resolves it the same way: option, else variable, else default.
/// </summary>
/// <param name="Choices">The values it accepts, when it is one of a few words; empty: free text, checked by the library.</param>
internal sealed record Setting(string Option, string Variable, string Default, string Description, params string[] Choices)
{
    /// <summary>A fresh option for one command (System.CommandLine wants one instance per command).</summary>
    /// <param name="moreChoices">Values only this command accepts besides <see cref="Choices"/>.</param>
    public Option<string?> CreateOption(params string[] moreChoices)
    {
        var option = new Option<string?>(Option)
        {
            Description = $"{Description} (default: {Variable} if set, else {Default})",
            HelpName = Choices.Length + moreChoices.Length > 0 ? string.Join('|', Choices.Concat(moreChoices)) : Option.TrimStart('-').ToUpperInvariant().Replace('-', '_'),
        };
        if (Choices.Length + moreChoices.Length > 0) option.AcceptOnlyFromAmong([.. Choices, .. moreChoices]);
        return option;
    }
}
