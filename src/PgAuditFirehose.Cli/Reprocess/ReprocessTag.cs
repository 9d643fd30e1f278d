namespace PgAuditFirehose.Cli.Reprocess;

/// <summary>
/// The S3 object tag that marks a reprocessed backup object, so an interrupted run resumes where it stopped.
/// A tag leaves the backup where Firehose put it and is allowed under Object Lock.
/// </summary>
internal static class ReprocessTag
{
    public const string Key = "pgaudit-firehose-reprocessed";

    /// <summary>Every record transformed (Ok or Dropped).</summary>
    public const string Complete = "true";

    /// <summary>Written, but some records failed the transformation (reported); --again takes it again.</summary>
    public const string Incomplete = "incomplete";

    /// <summary>What output object names start with (after the log stream's name): how a query tells reprocessed records by their "$path".</summary>
    public const string ObjectMarker = "reprocess-";
}
