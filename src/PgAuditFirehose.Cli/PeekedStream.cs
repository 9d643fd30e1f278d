namespace PgAuditFirehose.Cli;

/// <summary>A forward-only stream whose first bytes were read already (to sniff them): they come first, then the rest.</summary>
internal sealed class PeekedStream(byte[] head, Stream rest) : Stream
{
    private int _headRead;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_headRead == head.Length) return rest.Read(buffer);
        var n = Math.Min(buffer.Length, head.Length - _headRead);
        head.AsSpan(_headRead, n).CopyTo(buffer);
        _headRead += n;
        return n;
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }
}
