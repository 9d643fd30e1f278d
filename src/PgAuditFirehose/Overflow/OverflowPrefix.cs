using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PgAuditFirehose.Overflow;

/// <summary>
/// The delivery stream's S3 prefix in Firehose's own syntax (<c>!{partitionKeyFromLambda:KEY}</c>,
/// <c>!{timestamp:yyyy-MM-dd}</c>), expanded the way Firehose expands it, so objects the function
/// writes itself land in the same partitions the Glue table projects.
/// </summary>
public sealed partial class OverflowPrefix
{
    private readonly string _template;

    private OverflowPrefix(string template) => _template = template;

    public string Template => _template;

    /// <summary>Checks the prefix; throws <see cref="FormatException"/> naming an expression it cannot expand.</summary>
    public static OverflowPrefix Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        foreach (Match m in Expression().Matches(template))
        {
            var (ns, arg) = (m.Groups[1].Value, m.Groups[2].Value);
            if (ns == "partitionKeyFromLambda" && arg.Length > 0) continue;
            if (ns == "timestamp" && TimestampFormat().IsMatch(arg)) continue;
            throw new FormatException($"'{m.Value}' in '{template}' is not an expression the function can expand (use !{{partitionKeyFromLambda:KEY}} and !{{timestamp:FORMAT}} with y M d H m s).");
        }

        if (template.Replace("!{", "", StringComparison.Ordinal).Contains('{', StringComparison.Ordinal))
        {
            throw new FormatException($"'{template}' has a '{{' outside a !{{...}} expression.");
        }

        return new OverflowPrefix(template);
    }

    /// <summary>The prefix for a record with these partition keys that arrived at <paramref name="arrivalMs"/> (epoch ms, UTC).</summary>
    public string Expand(IReadOnlyList<KeyValuePair<string, string>> partitionKeys, long arrivalMs)
    {
        var arrival = DateTimeOffset.FromUnixTimeMilliseconds(arrivalMs).UtcDateTime;
        return Expression().Replace(_template, m => m.Groups[1].Value == "timestamp"
            ? arrival.ToString(DotNetFormat(m.Groups[2].Value), CultureInfo.InvariantCulture)
            : Lookup(partitionKeys, m.Groups[2].Value));
    }

    private static string Lookup(IReadOnlyList<KeyValuePair<string, string>> keys, string name)
    {
        foreach (var (key, value) in keys)
        {
            if (key == name) return value;
        }

        throw new InvalidOperationException($"the record has no partition key '{name}'");
    }

    // Firehose takes Java DateTimeFormatter patterns; for y M d H m s and separators .NET reads them alike,
    // once any other text is quoted.
    private static string DotNetFormat(string java)
    {
        var format = new StringBuilder();
        foreach (var c in java)
        {
            if ("yMdHms".Contains(c, StringComparison.Ordinal)) format.Append(c);
            else format.Append('\\').Append(c);
        }

        return format.ToString();
    }

    [GeneratedRegex(@"!\{([A-Za-z]+):([^}]*)\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^[yMdHms\-_/.:]+$")]
    private static partial Regex TimestampFormat();
}
