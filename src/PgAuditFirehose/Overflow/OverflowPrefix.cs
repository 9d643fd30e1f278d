using System.Globalization;
using System.Text;

namespace PgAuditFirehose.Overflow;

/// <summary>
/// The delivery stream's S3 prefix in Firehose's own syntax (<c>!{partitionKeyFromLambda:KEY}</c>,
/// <c>!{timestamp:yyyy-MM-dd}</c>), expanded the way Firehose expands it, so objects the function
/// writes itself land in the same partitions the Glue table projects.
/// </summary>
public sealed class OverflowPrefix
{
    private const string PartitionKey = "partitionKeyFromLambda";
    private const string Timestamp = "timestamp";

    // Literal text, or an expression: (namespace, argument); for timestamps the argument is a .NET format.
    private readonly (string? Namespace, string Text)[] _parts;

    private OverflowPrefix(string template, (string?, string)[] parts)
    {
        Template = template;
        _parts = parts;
    }

    public string Template { get; }

    /// <summary>Checks the prefix; throws <see cref="FormatException"/> naming an expression it cannot expand.</summary>
    public static OverflowPrefix Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var parts = new List<(string?, string)>();
        var rest = template.AsSpan();
        while (!rest.IsEmpty)
        {
            var start = rest.IndexOf("!{", StringComparison.Ordinal);
            var literal = start < 0 ? rest : rest[..start];
            if (literal.ContainsAny('{', '}')) throw new FormatException($"'{template}' has a '{{' or '}}' outside a !{{...}} expression.");
            if (!literal.IsEmpty) parts.Add((null, literal.ToString()));
            if (start < 0) break;

            var end = rest[start..].IndexOf('}');
            if (end < 0) throw new FormatException($"'{template}' has an unfinished !{{ expression.");
            var expression = rest.Slice(start + 2, end - 2).ToString();
            parts.Add(Expression(expression, template));
            rest = rest[(start + end + 1)..];
        }

        return new OverflowPrefix(template, [.. parts]);
    }

    /// <summary>The prefix for a record with these partition keys that arrived at <paramref name="arrivalMs"/> (epoch ms, UTC).</summary>
    public string Expand(IReadOnlyList<KeyValuePair<string, string>> partitionKeys, long arrivalMs)
    {
        var arrival = DateTimeOffset.FromUnixTimeMilliseconds(arrivalMs).UtcDateTime;
        var prefix = new StringBuilder();
        foreach (var (ns, text) in _parts)
        {
            prefix.Append(ns switch
            {
                null => text,
                Timestamp => arrival.ToString(text, CultureInfo.InvariantCulture),
                _ => Lookup(partitionKeys, text),
            });
        }

        return prefix.ToString();
    }

    private static (string?, string) Expression(string expression, string template)
    {
        var colon = expression.IndexOf(':', StringComparison.Ordinal);
        var (ns, arg) = colon < 0 ? (expression, "") : (expression[..colon], expression[(colon + 1)..]);
        if (ns == PartitionKey && arg.Length > 0) return (ns, arg);
        if (ns == Timestamp && arg.Length > 0 && IsJavaDateFormat(arg)) return (ns, DotNetFormat(arg));
        throw new FormatException(
            $"'!{{{expression}}}' in '{template}' is not an expression the function can expand (use !{{partitionKeyFromLambda:KEY}} and !{{timestamp:FORMAT}} with y M d H m s).");
    }

    // A loop, not Linq's All: this runs at start-up, where each generic instantiation is JIT work.
    private static bool IsJavaDateFormat(string pattern)
    {
        foreach (var c in pattern)
        {
            if (!"yMdHms-_/.:=".Contains(c, StringComparison.Ordinal)) return false;
        }

        return true;
    }

    // Firehose takes Java DateTimeFormatter patterns; for y M d H m s .NET reads them alike, once separators are quoted.
    private static string DotNetFormat(string java)
    {
        var format = new StringBuilder();
        foreach (var c in java)
        {
            if (!"yMdHms".Contains(c, StringComparison.Ordinal)) format.Append('\\');
            format.Append(c);
        }

        return format.ToString();
    }

    private static string Lookup(IReadOnlyList<KeyValuePair<string, string>> keys, string name)
    {
        foreach (var (key, value) in keys)
        {
            if (key == name) return value;
        }

        throw new KeyNotFoundException($"the record has no partition key '{name}'");
    }
}
