using PgAuditFirehose.Overflow;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>
/// The delivery stream's S3 <c>Prefix</c> for one output format, evaluated per record the way Firehose
/// does (and the function's overflow writer does), so replayed objects land in the partitions the Glue
/// table already projects.
/// </summary>
internal sealed class ArchivePrefix
{
    /// <summary>template.yaml's <c>Prefix</c> (audit/ + the format's directory + Mappings.S3Layout.Partitions.Path).</summary>
    public const string TemplateDefault =
        "audit/{format}/dt=!{timestamp:yyyy-MM-dd}/account=!{partitionKeyFromLambda:account_id}/cluster=!{partitionKeyFromLambda:db_identifier}/";

    private readonly OverflowPrefix _prefix;

    private ArchivePrefix(OverflowPrefix prefix) => _prefix = prefix;

    public override string ToString() => _prefix.Template;

    /// <summary>Checks every <c>!{...}</c> once, so a typo fails before anything is read or written.</summary>
    /// <param name="directory">Replaces <c>{format}</c> (and the template's <c>${OutputFormat}</c>): json, csv or parquet-overflow.</param>
    public static ArchivePrefix Parse(string expression, string directory)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var resolved = expression.Replace("${OutputFormat}", directory, StringComparison.Ordinal).Replace("{format}", directory, StringComparison.Ordinal);
        return new ArchivePrefix(OverflowPrefix.Parse(resolved));
    }

    /// <summary>The prefix of one record; throws <see cref="KeyNotFoundException"/> when it names a key the record lacks, as Firehose fails such a record.</summary>
    public string Evaluate(IDictionary<string, string> partitionKeys, DateTimeOffset arrival) =>
        _prefix.Expand([.. partitionKeys], arrival.ToUnixTimeMilliseconds());
}
