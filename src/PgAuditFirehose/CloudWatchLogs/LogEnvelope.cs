using System.Runtime.CompilerServices;

namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>
/// A decoded CloudWatch Logs subscription envelope (or the raw text of one). Reused from record to
/// record: event ids and messages live unescaped in one growing buffer.
/// </summary>
internal sealed class LogEnvelope
{
    public const string DataMessage = "DATA_MESSAGE";
    public const string ControlMessage = "CONTROL_MESSAGE";

    private const int InitialTextSize = 64 * 1024;

    // A bigger text buffer is let go of when the next record starts rather than kept at its largest.
    private const int KeptTextSize = 4 * 1024 * 1024;

    private byte[] _text = new byte[InitialTextSize];
    private int _textUsed;
    private int _textLength;

    /// <summary>The most text the current record can need (its JSON's length): the buffer grows no further.</summary>
    public int TextLimit { get; set; } = int.MaxValue;

    public RecordShape Shape { get; set; }
    public string? MessageType { get; set; }
    public string? Owner { get; set; }
    public string? LogGroup { get; set; }
    public string? LogStream { get; set; }
    private LogEvent[] _events = new LogEvent[256];
    private int _eventCount;

    /// <summary>The envelope's log events, in order (an array of our own: List of a struct is start-up JIT work).</summary>
    public ReadOnlySpan<LogEvent> Events => _events.AsSpan(0, _eventCount);

    public int EventCount => _eventCount;

    /// <summary>Event <paramref name="index"/>; on the invocation path instead of <see cref="Events"/>, whose span type is JIT work at start-up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public LogEvent Event(int index) => index < _eventCount ? _events[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public void AddEvent(LogEvent logEvent)
    {
        if (_eventCount == _events.Length) Array.Resize(ref _events, _events.Length * 2);
        _events[_eventCount++] = logEvent;
        _textLength += logEvent.IdLength + logEvent.MessageLength;
    }

    public bool IsControlMessage => MessageType == ControlMessage;

    /// <summary>The bytes of the events' ids and messages, wherever they are.</summary>
    public int TextLength => _textLength;

    /// <summary>The bytes of unescaped text the buffer holds.</summary>
    public int BufferedLength => _textUsed;

    public ReadOnlySpan<byte> Id(LogEvent e) => (e.IdInJson ? Json : _text).AsSpan(e.IdStart, e.IdLength);

    public ReadOnlySpan<byte> Message(LogEvent e) => (e.MessageInJson ? Json : _text).AsSpan(e.MessageStart, e.MessageLength);

    /// <summary>The JSON the envelope was read from (what <see cref="LogEvent.EscapedStart"/> points into); kept while its events are.</summary>
    public byte[] Json { get; set; } = [];

    /// <summary>The timestamp's digits as the JSON wrote them (its shortest form); empty when not known.</summary>
    public ReadOnlySpan<byte> TimestampText(LogEvent e) => e.TimestampStart < 0 ? default : Json.AsSpan(e.TimestampStart, e.TimestampLength);

    /// <summary>The message as the JSON wrote it, escapes and all; empty when not known.</summary>
    public ReadOnlySpan<byte> EscapedMessage(LogEvent e) => e.EscapedStart < 0 ? default : Json.AsSpan(e.EscapedStart, e.EscapedLength);

    public void Clear()
    {
        MessageType = Owner = LogGroup = LogStream = null;
        _eventCount = 0;
        _textUsed = _textLength = 0;
        Json = [];
        TextLimit = int.MaxValue;
        if (_text.Length > KeptTextSize) _text = new byte[InitialTextSize];
    }

    /// <summary>Room for <paramref name="length"/> more bytes of text; commit them with <see cref="Commit"/>.</summary>
    public Span<byte> Reserve(int length)
    {
        if (_textUsed + length > _text.Length)
        {
            Array.Resize(ref _text, (int)Math.Max(_textUsed + length, Math.Min(_text.Length * 2L, TextLimit)));
        }

        return _text.AsSpan(_textUsed, length);
    }

    /// <summary>Gives up the buffer's text after its first <paramref name="length"/> bytes (a read that was abandoned; see <see cref="BufferedLength"/>).</summary>
    public void Truncate(int length) => _textUsed = Math.Min(_textUsed, length);

    /// <summary>Keeps <paramref name="length"/> bytes written into the last reservation; returns where they start.</summary>
    public int Commit(int length)
    {
        var start = _textUsed;
        _textUsed += length;
        return start;
    }
}
