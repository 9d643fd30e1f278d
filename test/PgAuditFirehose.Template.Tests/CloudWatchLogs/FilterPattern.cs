namespace PgAuditFirehose.Template.Tests.CloudWatchLogs;

/// <summary>
/// A CloudWatch Logs filter pattern for unstructured log events, the subset the template uses
/// (CloudWatch Logs User Guide, "Filter pattern syntax ...", "Using filter patterns to match
/// terms in unstructured log events"):
/// <list type="bullet">
/// <item>terms are separated by spaces; a term in double quotes is an exact phrase, matched
/// case-sensitively;</item>
/// <item>terms without a prefix must all appear (AND);</item>
/// <item>terms prefixed with <c>?</c> are alternatives, one of which must appear (OR); they are
/// ignored when the pattern also has a term without <c>?</c>;</item>
/// <item>an empty pattern, or a quoted phrase of spaces only (<c>" "</c>), matches every event.</item>
/// </list>
/// Unquoted words, <c>-</c> exclusions, JSON (<c>{...}</c>), space-delimited (<c>[...]</c>)
/// and regex (<c>%...%</c>) patterns are refused rather than guessed at.
/// </summary>
internal sealed class FilterPattern
{
    private readonly IReadOnlyList<string> _required;
    private readonly IReadOnlyList<string> _alternatives;

    private FilterPattern(IReadOnlyList<string> required, IReadOnlyList<string> alternatives)
    {
        _required = required;
        _alternatives = alternatives;
    }

    /// <summary>The phrases that must all appear; when empty, <see cref="Alternatives"/> decide.</summary>
    public IReadOnlyList<string> Required => _required;

    public IReadOnlyList<string> Alternatives => _alternatives;

    public static FilterPattern Parse(string pattern)
    {
        var text = pattern.Trim();
        if (text.Length > 0 && text[0] is '{' or '[' or '%')
        {
            throw new NotSupportedException($"JSON, space-delimited and regex filter patterns are not implemented: {pattern}");
        }

        var required = new List<string>();
        var alternatives = new List<string>();
        var position = 0;
        while (position < text.Length)
        {
            if (text[position] == ' ')
            {
                position++;
                continue;
            }

            var optional = text[position] == '?';
            if (optional)
            {
                position++;
            }

            if (position >= text.Length || text[position] != '"')
            {
                throw new NotSupportedException(
                    $"only double-quoted terms are implemented (at offset {position} of {pattern}); "
                    + "unquoted words and '-' exclusions are not");
            }

            var close = text.IndexOf('"', position + 1);
            if (close < 0)
            {
                throw new FormatException($"unterminated quoted term at offset {position} of {pattern}");
            }

            var phrase = text[(position + 1)..close];
            if (phrase.Contains('\\', StringComparison.Ordinal))
            {
                throw new NotSupportedException($"escapes inside quoted terms are not implemented: {pattern}");
            }

            (optional ? alternatives : required).Add(phrase);
            position = close + 1;
            if (position < text.Length && text[position] != ' ')
            {
                throw new FormatException($"a term must end at a space (offset {position} of {pattern})");
            }
        }

        return new FilterPattern(required, alternatives);
    }

    public bool Matches(string message)
    {
        if (_required.Count > 0)
        {
            return _required.All(term => Contains(message, term));
        }

        return _alternatives.Count == 0 || _alternatives.Any(term => Contains(message, term));
    }

    /// <summary>The terms that decide a match (required ones, else the alternatives).</summary>
    public IEnumerable<string> DecidingTerms => _required.Count > 0 ? _required : _alternatives;

    private static bool Contains(string message, string phrase) =>
        string.IsNullOrWhiteSpace(phrase) || message.Contains(phrase, StringComparison.Ordinal);
}
