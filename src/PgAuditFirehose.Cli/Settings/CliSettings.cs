using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Cli.Settings;

/// <summary>
/// The one list of the transformation's settings. Every command that transforms (invoke, parse, replay-failed)
/// takes each of them as its option and reads its environment variable the same way, and the values reach
/// <see cref="TransformerOptions.FromEnvironment"/> as the Lambda's environment would: a new setting the library
/// reads is one line in <see cref="Transformation"/>, and every transforming command has it.
/// </summary>
internal static class CliSettings
{
    /// <summary>
    /// Everything the transformation reads, in the order --help lists it: option, variable, default, description[, choices].
    /// The default is what --help and the docs say; a setting left at it is left to the library's own default.
    /// </summary>
    public static readonly IReadOnlyList<Setting> Transformation =
    [
        new("--format", "OUTPUT_FORMAT", "json", "Record format: json (NDJSON) or csv (no header, the parameters column left out)", "json", "csv"),
        new("--log-line-prefix", "LOG_LINE_PREFIX", PgAudit.LogLinePrefix.RdsDefault, "The server's log_line_prefix"),
        new("--log-timezone", "LOG_TIMEZONE", "UTC", "The server's log_timezone, an IANA name such as Asia/Shanghai (UTC is what RDS and Aurora log in)"),
        new("--redact-secrets", "REDACT_SECRETS", "true", "Replace secrets (passwords, keys, connection-string passwords) in the records' text with <REDACTED>; false keeps the text verbatim", "true", "false"),
        new("--max-inflated-bytes", "MAX_INFLATED_BYTES", "what the memory allows, at most 64 MiB", "A record whose gzip data inflates past this many bytes fails alone"),
    ];

    public static Setting Format { get; } = Named("OUTPUT_FORMAT");

    public static Setting LogLinePrefix { get; } = Named("LOG_LINE_PREFIX");

    public static Setting LogTimeZone { get; } = Named("LOG_TIMEZONE");

    public static Setting MaxInflatedBytes { get; } = Named("MAX_INFLATED_BYTES");

    /// <summary>What a command that reads log files takes: they are read as streams, so no record has an inflation cap.</summary>
    public static IEnumerable<Setting> LogFiles => Transformation.Where(s => s != MaxInflatedBytes);

    private static Setting Named(string variable) => Transformation.Single(s => s.Variable == variable);
}
