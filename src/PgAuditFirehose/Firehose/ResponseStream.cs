namespace PgAuditFirehose.Firehose;

/// <summary>
/// The response handed to the runtime: a read-only stream over the first <c>length</c> bytes of a
/// buffer that, once the stream is disposed, goes back to be written again by the next response. A
/// response is megabytes, and a fresh array for each one costs a gen-2 collection and page faults.
/// </summary>
internal sealed class ResponseStream : MemoryStream
{
    private readonly Action<byte[]> _giveBack;
    private byte[]? _buffer;

    public ResponseStream(byte[] buffer, int length, Action<byte[]> giveBack)
        : base(buffer, 0, length, writable: false)
    {
        _buffer = buffer;
        _giveBack = giveBack;
    }

    /// <summary>Where the response is written, before it is read.</summary>
    public Span<byte> Content => (_buffer ?? throw new ObjectDisposedException(nameof(ResponseStream))).AsSpan(0, (int)Length);

    protected override void Dispose(bool disposing)
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        base.Dispose(disposing);
        if (buffer is not null) _giveBack(buffer);
    }
}
