namespace PgAuditFirehose.Cli.Reprocess;

/// <summary>
/// One source record of a backup object: the bytes CloudWatch Logs put into the stream (a gzip'd envelope),
/// its number in the object (from 1) and where it starts, so a report can point at it.
/// </summary>
internal sealed record SourceRecord(int Number, long Offset, ReadOnlyMemory<byte> Data);
