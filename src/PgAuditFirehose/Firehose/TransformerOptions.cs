using PgAuditFirehose.Records;
using System.Globalization;
using PgAuditFirehose.Overflow;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Firehose;

/// <summary>The function's configuration, read from environment variables and checked at start.</summary>
public sealed record TransformerOptions
{
    public const int DefaultMaxInflatedBytes = 64 * 1024 * 1024;

    public OutputFormat Format { get; init; } = OutputFormat.Json;

    public LogLinePrefix Prefix { get; init; } = LogLinePrefix.Parse(LogLinePrefix.RdsDefault);

    /// <summary>The server's log_timezone (<c>LOG_TIMEZONE</c>, an IANA name): how the lines' local times become UTC.</summary>
    public LogTimeZone TimeZone { get; init; } = LogTimeZone.Utc;

    /// <summary>A record whose gzip data inflates past this fails alone instead of exhausting memory.</summary>
    public int MaxInflatedBytes { get; init; } = DefaultMaxInflatedBytes;

    /// <summary>The whole response JSON stays at or below this many bytes.</summary>
    public int MaxResponseBytes { get; init; } = ResponseBudget.DefaultMaxResponseBytes;

    /// <summary>
    /// JSON output takes each line's statement straight from the envelope's escaped text when it can
    /// (<see cref="EscapedCsv"/>); off, always the unescaped way. The same output either way (the tests
    /// hold them to it): a switch for those tests, not a setting.
    /// </summary>
    internal bool StatementsFromEscapedText { get; init; } = true;

    /// <summary>Secrets in the records' text are replaced by &lt;REDACTED&gt; (<c>REDACT_SECRETS</c>, on by default; docs/redaction.md).</summary>
    public bool RedactSecrets { get; init; } = true;

    /// <summary>How many records are transformed at once; batches over 128 KiB use every core by default.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// How many records' buffers and outputs may be in memory at once (<see cref="MemoryBudget.RecordsInFlight"/>);
    /// unbounded unless set, as from <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>.
    /// </summary>
    public int MaxRecordsInFlight { get; init; } = int.MaxValue;

    /// <summary>The function's memory the cap and records in flight were derived from (null: not derived).</summary>
    public int? FunctionMemoryMB { get; init; }

    /// <summary>Where output that does not fit in the response goes (<c>OVERFLOW_BUCKET</c>); null: it fails instead.</summary>
    public string? OverflowBucket { get; init; }

    /// <summary>The delivery stream's S3 prefix, in Firehose's syntax (<c>OVERFLOW_PREFIX</c>).</summary>
    public OverflowPrefix? OverflowPrefix { get; init; }

    /// <summary>
    /// Reads <c>OUTPUT_FORMAT</c>, <c>LOG_LINE_PREFIX</c>, <c>LOG_TIMEZONE</c>, <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> (which Lambda sets; the
    /// inflation cap and the records in flight follow from it), <c>MAX_INFLATED_BYTES</c> (the cap, set outright),
    /// <c>REDACT_SECRETS</c>, <c>OVERFLOW_BUCKET</c> and <c>OVERFLOW_PREFIX</c>; throws
    /// <see cref="ConfigurationException"/> naming the variable and the accepted values.
    /// </summary>
    public static TransformerOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var options = new TransformerOptions();

        var format = getVariable("OUTPUT_FORMAT");
        if (!string.IsNullOrEmpty(format))
        {
            options = options with
            {
                Format = format.Trim().ToUpperInvariant() switch
                {
                    "JSON" => OutputFormat.Json,
                    "CSV" => OutputFormat.Csv,
                    _ => throw new ConfigurationException($"OUTPUT_FORMAT='{format}' is not valid: use 'json' (the default) or 'csv'."),
                },
            };
        }

        var prefix = getVariable("LOG_LINE_PREFIX");
        if (!string.IsNullOrEmpty(prefix))
        {
            try
            {
                options = options with { Prefix = LogLinePrefix.Parse(prefix) };
            }
            catch (FormatException e)
            {
                throw new ConfigurationException($"LOG_LINE_PREFIX is not valid: {e.Message}", e);
            }
        }

        var timeZone = getVariable("LOG_TIMEZONE");
        if (!string.IsNullOrEmpty(timeZone))
        {
            try
            {
                options = options with { TimeZone = LogTimeZone.Parse(timeZone) };
            }
            catch (FormatException e)
            {
                throw new ConfigurationException($"LOG_TIMEZONE is not valid: {e.Message}", e);
            }
        }

        var memory = getVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        var memoryMB = MemoryBudget.LocalMemoryMB;
        if (!string.IsNullOrEmpty(memory) && (!int.TryParse(memory, NumberStyles.None, CultureInfo.InvariantCulture, out memoryMB) || memoryMB < 128))
        {
            throw new ConfigurationException($"AWS_LAMBDA_FUNCTION_MEMORY_SIZE='{memory}' is not valid: Lambda sets it to the function's memory in MB (128 or more).");
        }

        var budget = MemoryBudget.For(memoryMB, options.Parallelism);
        options = options with { MaxInflatedBytes = budget.MaxInflatedBytes, MaxRecordsInFlight = budget.RecordsInFlight, FunctionMemoryMB = memoryMB };

        var cap = getVariable("MAX_INFLATED_BYTES");
        if (!string.IsNullOrEmpty(cap))
        {
            if (!int.TryParse(cap, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) || bytes < 1024)
            {
                throw new ConfigurationException($"MAX_INFLATED_BYTES='{cap}' is not valid: use a whole number of bytes from 1024 to {int.MaxValue - 1}.");
            }

            options = options with { MaxInflatedBytes = Math.Min(bytes, int.MaxValue - 1) };
        }

        var redact = getVariable("REDACT_SECRETS");
        if (!string.IsNullOrEmpty(redact))
        {
            options = options with { RedactSecrets = ParseRedactSecrets(redact) ?? throw new ConfigurationException(
                $"REDACT_SECRETS='{redact}' is not valid: use 'true' (the default: secrets in the records' text become <REDACTED>) or 'false' (keep the text verbatim)."), };
        }

        return ReadOverflow(options, getVariable("OVERFLOW_BUCKET"), getVariable("OVERFLOW_PREFIX"));
    }

    /// <summary>true/false (also on/off, yes/no, 1/0), any case; null for anything else.</summary>
    public static bool? ParseRedactSecrets(string value) => value.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "ON" or "YES" or "1" => true,
        "FALSE" or "OFF" or "NO" or "0" => false,
        _ => null,
    };

    private static TransformerOptions ReadOverflow(TransformerOptions options, string? bucket, string? prefix)
    {
        if (string.IsNullOrEmpty(bucket) && string.IsNullOrEmpty(prefix)) return options;
        if (string.IsNullOrEmpty(bucket) || string.IsNullOrEmpty(prefix))
        {
            throw new ConfigurationException("OVERFLOW_BUCKET and OVERFLOW_PREFIX go together: set both (the archive bucket and the delivery stream's S3 prefix) or neither.");
        }

        try
        {
            return options with { OverflowBucket = bucket, OverflowPrefix = OverflowPrefix.Parse(prefix) };
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"OVERFLOW_PREFIX is not valid: {e.Message}", e);
        }
    }
}
