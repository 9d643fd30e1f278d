using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>
/// The delivery stream's S3 <c>Prefix</c> expression, evaluated the way Firehose does for one record:
/// <c>!{partitionKeyFromLambda:KEY}</c> from the record's partition keys, <c>!{timestamp:FORMAT}</c> from its
/// arrival time (UTC). So replayed objects land in the partitions the Glue table already projects.
/// </summary>
internal sealed partial class ArchivePrefix
{
    /// <summary>template.yaml's <c>Prefix</c> (audit/ + the format's directory + Mappings.S3Layout.Partitions.Path).</summary>
    public const string TemplateDefault =
        "audit/{format}/cluster=!{partitionKeyFromLambda:db_identifier}/dt=!{timestamp:yyyy-MM-dd}/!{partitionKeyFromLambda:log_stream}-";

    private readonly string _expression;

    private ArchivePrefix(string expression) => _expression = expression;

    public override string ToString() => _expression;

    /// <summary>Checks every <c>!{...}</c> once, so a typo fails before anything is read or written.</summary>
    /// <param name="directory">Replaces <c>{format}</c> (and the template's <c>${OutputFormat}</c>): json, csv or parquet-overflow.</param>
    public static ArchivePrefix Parse(string expression, string directory)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var resolved = expression.Replace("${OutputFormat}", directory, StringComparison.Ordinal).Replace("{format}", directory, StringComparison.Ordinal);
        foreach (Match m in Expression().Matches(resolved))
        {
            var (ns, argument) = (m.Groups["ns"].Value, m.Groups["arg"].Value);
            if (ns == "timestamp")
            {
                _ = ToDotNetFormat(argument);
            }
            else if (ns != "partitionKeyFromLambda")
            {
                throw new FormatException($"'{m.Value}' is not supported here: use !{{partitionKeyFromLambda:KEY}} and !{{timestamp:FORMAT}}");
            }
        }

        if (Expression().Replace(resolved, "").Contains("!{", StringComparison.Ordinal))
        {
            throw new FormatException($"'{expression}' has an unclosed '!{{'");
        }

        return new ArchivePrefix(resolved);
    }

    /// <summary>The prefix of one record; throws <see cref="KeyNotFoundException"/> when it names a key the record lacks, as Firehose fails such a record.</summary>
    public string Evaluate(IDictionary<string, string> partitionKeys, DateTimeOffset arrival) =>
        Expression().Replace(_expression, m => m.Groups["ns"].Value == "timestamp"
            ? arrival.UtcDateTime.ToString(ToDotNetFormat(m.Groups["arg"].Value), CultureInfo.InvariantCulture)
            : partitionKeys.TryGetValue(m.Groups["arg"].Value, out var value)
                ? value
                : throw new KeyNotFoundException($"the record has no partition key '{m.Groups["arg"].Value}'"));

    /// <summary>
    /// Firehose takes Java DateTimeFormatter patterns; the letters a prefix uses (y M d H m s) mean the same
    /// in .NET. Anything else is refused rather than silently formatted differently.
    /// </summary>
    private static string ToDotNetFormat(string java)
    {
        var format = new StringBuilder();
        foreach (var c in java)
        {
            if (c is 'y' or 'M' or 'd' or 'H' or 'm' or 's') format.Append(c);
            else if (c is '-' or '/' or '_' or '.' or '=') format.Append('\\').Append(c);
            else throw new FormatException($"!{{timestamp:{java}}}: '{c}' is not supported; use y, M, d, H, m, s and - / _ . =");
        }

        return format.ToString();
    }

    [GeneratedRegex(@"!\{(?<ns>[A-Za-z]+):(?<arg>[^}]*)\}")]
    private static partial Regex Expression();
}
