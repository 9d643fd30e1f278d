using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>What <c>replay-failed</c> reads, how it transforms, and where it writes.</summary>
internal sealed record ReplayOptions
{
    public const string DefaultErrorPrefix = "errors/processing-failed/";

    public required string Bucket { get; init; }

    /// <summary>Where Firehose writes ProcessingFailed records (template.yaml: errors/!{firehose:error-output-type}/...).</summary>
    public string ErrorPrefix { get; init; } = DefaultErrorPrefix;

    /// <summary>Only error objects from this day on (their dt= partition, else their last-modified day).</summary>
    public DateOnly? Since { get; init; }

    public required ArchivePrefix Archive { get; init; }

    public required TransformerOptions Transformer { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Also take objects an earlier run left incomplete (malformed lines or records that still failed).</summary>
    public bool RetryIncomplete { get; init; }

    /// <summary>Only problems and the summary: no line per replayed object.</summary>
    public bool Quiet { get; init; }
}
