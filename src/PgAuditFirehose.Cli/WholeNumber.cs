using System.CommandLine.Parsing;
using System.Globalization;

namespace PgAuditFirehose.Cli;

/// <summary>Parses a whole-number option with a message in the user's terms (System.CommandLine's names the CLR type).</summary>
internal static class WholeNumber
{
    public static int Parse(ArgumentResult result, int minimum)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
        var name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        result.AddError($"{name}: '{text}' is not a whole number from {minimum.ToString(CultureInfo.InvariantCulture)} up");
        return minimum;
    }
}
