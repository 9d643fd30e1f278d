using PgAuditFirehose.Cli.Replay;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Cli.Reprocess;

/// <summary>What <c>reprocess</c> reads, how it transforms, and where it writes.</summary>
internal sealed record ReprocessOptions
{
    /// <summary>template.yaml's Mappings.S3Layout.SourceBackup.Prefix up to its day folder.</summary>
    public const string DefaultBackupPrefix = "source-backup/";

    public required string Bucket { get; init; }

    /// <summary>Where Firehose writes the source-record backup; day folders dt=yyyy-MM-dd/ below it.</summary>
    public string BackupPrefix { get; init; } = DefaultBackupPrefix;

    /// <summary>First day (UTC arrival day, the dt= folder) taken; null: the oldest there is.</summary>
    public DateOnly? Since { get; init; }

    /// <summary>Last day taken, inclusive; null: the newest there is.</summary>
    public DateOnly? Until { get; init; }

    public required ArchivePrefix Archive { get; init; }

    public required TransformerOptions Transformer { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Also take objects an earlier run finished (after another fix): their outputs are overwritten with the same keys.</summary>
    public bool Again { get; init; }

    /// <summary>Only problems and the summary: no line per backup object.</summary>
    public bool Quiet { get; init; }
}
