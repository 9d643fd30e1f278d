using System.IO.Compression;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>The gzip'd records of one error object that belong in one archive partition: one output object.</summary>
internal sealed class PartitionOutput : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private readonly GZipStream _gzip;

    public PartitionOutput(string key)
    {
        Key = key;
        _gzip = new GZipStream(_buffer, CompressionLevel.Optimal, leaveOpen: true);
    }

    public string Key { get; }

    public long AuditRecords { get; private set; }

    /// <summary>An Ok record's data: whole NDJSON or CSV lines, each ending in '\n'.</summary>
    public void Append(ReadOnlySpan<byte> records)
    {
        _gzip.Write(records);
        AuditRecords += records.Count((byte)'\n');
    }

    /// <summary>Ends the gzip stream; the returned stream reads the finished object from its start.</summary>
    public MemoryStream Finish()
    {
        _gzip.Dispose();
        _buffer.Position = 0;
        return _buffer;
    }

    public void Dispose()
    {
        _gzip.Dispose();
        _buffer.Dispose();
    }
}
