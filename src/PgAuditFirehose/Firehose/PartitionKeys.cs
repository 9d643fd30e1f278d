namespace PgAuditFirehose.Firehose;

/// <summary>
/// The keys each Ok record carries for dynamic partitioning. Firehose fails a record whose prefix
/// names a missing key, so all are always present; <see cref="Unknown"/> stands in when the source
/// does not say, and characters that would change the S3 key's shape become '_'.
/// </summary>
internal static class PartitionKeys
{
    public const string DbIdentifier = "db_identifier";

    // The log group's owner: a db identifier is unique only within an account (and region).
    public const string AccountId = "account_id";
    public const string LogStream = "log_stream";
    public const string Unknown = "unknown";

    private static readonly string[] GroupKinds = ["/aws/rds/cluster/", "/aws/rds/instance/"];

    public static KeyValuePair<string, string>[] For(string? dbIdentifier, string? accountId, string? logStream) =>
    [
        new(DbIdentifier, Sanitize(dbIdentifier)),
        new(AccountId, Sanitize(accountId)),
        new(LogStream, Sanitize(logStream)),
    ];

    /// <summary>The <c>&lt;id&gt;</c> of <c>/aws/rds/cluster/&lt;id&gt;/postgresql</c> or <c>/aws/rds/instance/&lt;id&gt;/postgresql</c>.</summary>
    public static string? DbIdentifierOf(string? logGroup)
    {
        if (logGroup is null) return null;
        foreach (var kind in GroupKinds)
        {
            if (!logGroup.StartsWith(kind, StringComparison.Ordinal) || !logGroup.EndsWith("/postgresql", StringComparison.Ordinal)) continue;
            var id = logGroup[kind.Length..^"/postgresql".Length];
            return id.Length > 0 && !id.Contains('/', StringComparison.Ordinal) ? id : null;
        }

        return null;
    }

    private static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value)) return Unknown;
        return string.Create(value.Length, value, static (span, v) =>
        {
            for (var i = 0; i < v.Length; i++)
            {
                var c = v[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_';
            }
        });
    }
}
