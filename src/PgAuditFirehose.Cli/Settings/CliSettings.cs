using PgAuditFirehose.Firehose;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Cli.Settings;

/// <summary>
/// The one list of the transformation's settings. Every command that transforms (invoke, parse, replay-failed)
/// takes each of them as its option and reads its environment variable the same way, and the values reach
/// <see cref="TransformerOptions.FromEnvironment"/> as the Lambda's environment would: a new setting the library
/// reads is one line here, and every transforming command has it.
/// </summary>
internal static class CliSettings
{
    public static readonly Setting Format = new("--format", "OUTPUT_FORMAT", "json",
        "Record format: json (NDJSON) or csv (no header, the parameters column left out)", "json", "csv");

    public static readonly Setting LogLinePrefix = new("--log-line-prefix", "LOG_LINE_PREFIX", PgAudit.LogLinePrefix.RdsDefault,
        "The server's log_line_prefix");

    public static readonly Setting LogTimeZone = new("--log-timezone", "LOG_TIMEZONE", "UTC",
        "The server's log_timezone, an IANA name such as Asia/Shanghai (UTC is what RDS and Aurora log in)");

    public static readonly Setting MaxInflatedBytes = new("--max-inflated-bytes", "MAX_INFLATED_BYTES",
        TransformerOptions.DefaultMaxInflatedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "A record whose gzip data inflates past this many bytes fails alone");

    /// <summary>Everything the transformation reads, in the order --help lists it.</summary>
    public static readonly IReadOnlyList<Setting> Transformation = [Format, LogLinePrefix, LogTimeZone, MaxInflatedBytes];
}
