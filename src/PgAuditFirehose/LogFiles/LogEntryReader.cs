using PgAuditFirehose.CloudWatchLogs;

namespace PgAuditFirehose.LogFiles;

/// <summary>
/// Reads log entries off a stream with a bounded buffer, by the same rule as <see cref="LogEntries"/>:
/// a newline not followed by a tab starts the next entry. The buffer grows only for an entry longer
/// than itself. An entry is valid until the next call.
/// </summary>
internal sealed class LogEntryReader
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;          // first unconsumed byte
    private int _complete;       // end of the bytes known to hold only whole entries
    private int _next;           // where the entry after them starts (past the newline at _complete)
    private int _end;            // end of the bytes read
    private long _bufferOffset;  // stream offset of _buffer[0]
    private long _linesBefore;   // newlines in the stream before _start
    private bool _eof;

    public LogEntryReader(Stream stream, int bufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        _stream = stream;
        _buffer = new byte[bufferSize];
    }

    public long BytesRead => _bufferOffset + _end;

    /// <summary>Newlines read so far.</summary>
    public long NewlinesRead { get; private set; }

    /// <summary>True when the last byte read was a newline (or nothing was read).</summary>
    public bool EndsWithNewline { get; private set; } = true;

    /// <summary>1-based line number of the entry last taken.</summary>
    public long EntryLine { get; private set; }

    /// <summary>Up to the first <paramref name="length"/> bytes of the stream (fewer at its end), without consuming them.</summary>
    public ReadOnlySpan<byte> Peek(int length)
    {
        length = Math.Min(length, _buffer.Length);
        while (!_eof && _end - _start < length) Fill();
        return _buffer.AsSpan(_start, Math.Min(length, _end - _start));
    }

    public bool TryTake(out ReadOnlySpan<byte> entry)
    {
        while (true)
        {
            ReadOnlySpan<byte> region = _buffer.AsSpan(_start, _complete - _start);
            if (LogEntries.TryTake(ref region, out var found))
            {
                // Lines are counted once each: up to the entry, then through it to where the next one starts.
                _buffer.AsSpan().Overlaps(found, out var at);
                entry = _buffer.AsSpan(at, found.Length);
                var taken = _complete - region.Length;
                _linesBefore += _buffer.AsSpan(_start, at - _start).Count((byte)'\n');
                EntryLine = _linesBefore + 1;
                _linesBefore += _buffer.AsSpan(at, taken - at).Count((byte)'\n');
                _start = taken;
                return true;
            }

            _linesBefore += _buffer.AsSpan(_start, _next - _start).Count((byte)'\n');
            _start = _next;
            if (_eof && _start == _end)
            {
                entry = default;
                return false;
            }

            FindWholeEntries();
        }
    }

    // Reads until the buffer holds at least one whole entry (or the stream ends).
    private void FindWholeEntries()
    {
        while (true)
        {
            var boundary = LastEntryBoundary(_buffer.AsSpan(_start, _end - _start));
            if (boundary >= 0)
            {
                _complete = _start + boundary;
                _next = _complete + 1;
                return;
            }

            if (_eof)
            {
                _complete = _next = _end;
                return;
            }

            Fill();
        }
    }

    // The last newline whose next byte is known and is not a tab: everything before it is whole entries.
    private static int LastEntryBoundary(ReadOnlySpan<byte> text)
    {
        var end = text.Length - 1;
        while (end > 0)
        {
            var at = text[..end].LastIndexOf((byte)'\n');
            if (at < 0) return -1;
            if (text[at + 1] != (byte)'\t') return at;
            end = at;
        }

        return -1;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            // Shift the unconsumed tail to the front.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _end -= _start;
            _complete = Math.Max(0, _complete - _start);
            _next = Math.Max(0, _next - _start);
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // One entry fills the whole buffer: grow for it.
            if (_buffer.Length == Array.MaxLength)
            {
                throw new InvalidDataException($"the log entry at byte {_bufferOffset} is longer than {Array.MaxLength} bytes");
            }

            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, 2L * _buffer.Length));
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return;
        }

        NewlinesRead += _buffer.AsSpan(_end, read).Count((byte)'\n');
        EndsWithNewline = _buffer[_end + read - 1] == (byte)'\n';
        _end += read;
    }
}
