namespace PgAuditFirehose.Cli.Replay;

/// <summary>
/// The S3 object tag that marks a replayed error object. A tag (not a move) leaves the evidence where
/// Firehose put it, works under Object Lock, and costs one request to read.
/// </summary>
internal static class ReplayTag
{
    public const string Key = "pgaudit-firehose-replayed";

    /// <summary>Every line replayed (Ok or Dropped): a later run skips the object.</summary>
    public const string Complete = "true";

    /// <summary>Replayed, but some lines were malformed or still failed: skipped unless --retry-incomplete.</summary>
    public const string Incomplete = "incomplete";
}
