using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>
/// The fast way through a CloudWatch Logs envelope: the UTF-8 is validated once as a whole, then one
/// pass finds and unescapes the strings a run at a time. Utf8JsonReader checks and unescapes each
/// string byte by byte once it holds an escape — and every multi-line or quoted statement does.
/// It accepts only strictly valid JSON in the shape CloudWatch Logs writes and declines the rest;
/// <see cref="EnvelopeDecoder"/> then reads it with Utf8JsonReader, which words the error. So
/// whatever it accepts, both read alike (the tests hold them to that).
/// </summary>
internal ref struct EnvelopeScanner
{
    // Deeper than this is declined, well inside Utf8JsonReader's limit of 64.
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _json;
    private readonly LogEnvelope _envelope;
    private int _at;

    private EnvelopeScanner(ReadOnlySpan<byte> json, LogEnvelope envelope)
    {
        _json = json;
        _envelope = envelope;
    }

    /// <summary>
    /// Fills <paramref name="envelope"/> and returns true, or returns false, leaving it part-filled,
    /// when the JSON is anything but strictly valid and plainly shaped.
    /// </summary>
    /// <remarks>The JSON is the first <paramref name="length"/> bytes of <paramref name="buffer"/>, which the envelope keeps (<see cref="LogEnvelope.Json"/>).</remarks>
    public static bool TryRead(byte[] buffer, int length, LogEnvelope envelope, out bool sawEvents)
    {
        sawEvents = false;
        envelope.Json = buffer;
        var json = buffer.AsSpan(0, length);
        if (!Utf8.IsValid(json)) return false;
        var scanner = new EnvelopeScanner(json, envelope);
        return scanner.ReadEnvelope(ref sawEvents);
    }

    private bool ReadEnvelope(ref bool sawEvents)
    {
        if (!Take((byte)'{')) return false;
        if (!Take((byte)'}'))
        {
            do
            {
                if (!ReadKey(out var key)) return false;
                bool ok;
                string? text;
                if (key.SequenceEqual("messageType"u8)) { ok = ReadText(out text); _envelope.MessageType = text; }
                else if (key.SequenceEqual("owner"u8)) { ok = ReadText(out text); _envelope.Owner = text; }
                else if (key.SequenceEqual("logGroup"u8)) { ok = ReadText(out text); _envelope.LogGroup = text; }
                else if (key.SequenceEqual("logStream"u8)) { ok = ReadText(out text); _envelope.LogStream = text; }
                else if (key.SequenceEqual("logEvents"u8)) ok = sawEvents = ReadEvents();
                else ok = SkipValue(1);
                if (!ok) return false;
            }
            while (Take((byte)','));

            if (!Take((byte)'}')) return false;
        }

        SkipWhiteSpace();
        return _at == _json.Length;
    }

    private bool ReadEvents()
    {
        if (!Take((byte)'[')) return false;
        if (Take((byte)']')) return true;
        do
        {
            if (TryReadCloudWatchEvent()) continue;
            if (!Take((byte)'{')) return false;
            int idStart = 0, idLength = 0, messageStart = 0, messageLength = -1, escapedStart = -1, escapedLength = 0, plainLength = 0, timestampStart = -1, timestampLength = 0;
            bool idInJson = true, messageInJson = false; // no id: an empty one, plain
            long? timestamp = null;
            if (!Take((byte)'}'))
            {
                do
                {
                    if (!ReadEventKey(out var field)) return false;
                    var ok = field switch
                    {
                        EventField.Message => CopyString(out messageStart, out messageLength, out messageInJson, out plainLength, out escapedStart, out escapedLength),
                        EventField.Id => CopyString(out idStart, out idLength, out idInJson),
                        EventField.Timestamp => ReadInteger(out timestamp, out timestampStart, out timestampLength),
                        _ => SkipValue(3),
                    };
                    if (!ok) return false;
                }
                while (Take((byte)','));

                if (!Take((byte)'}')) return false;
            }

            // An event without a message is Utf8JsonReader's to report.
            if (messageLength < 0) return false;
            _envelope.AddEvent(Event(idStart, idLength, idInJson, timestamp, messageStart, messageLength, messageInJson, plainLength, escapedStart, escapedLength, timestampStart, timestampLength));
        }
        while (Take((byte)','));

        return Take((byte)']');
    }

    // CloudWatch Logs writes every event as {"id":"...","timestamp":...,"message":"..."}: that layout is
    // taken field by field, no key looked up. Anything else is left, as it was, to the general loop.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadCloudWatchEvent()
    {
        var start = _at;
        var buffered = _envelope.BufferedLength;
        if (TakeLiteral("{\"id\":"u8) && CopyString(out var idStart, out var idLength, out var idInJson)
            && TakeLiteral(",\"timestamp\":"u8) && ReadInteger(out var timestamp, out var timestampStart, out var timestampLength)
            && TakeLiteral(",\"message\":"u8) && CopyString(out var messageStart, out var messageLength, out var messageInJson, out var plainLength, out var escapedStart, out var escapedLength)
            && TakeLiteral("}"u8))
        {
            _envelope.AddEvent(Event(idStart, idLength, idInJson, timestamp, messageStart, messageLength, messageInJson, plainLength, escapedStart, escapedLength, timestampStart, timestampLength));
            return true;
        }

        _at = start;
        _envelope.Truncate(buffered);
        return false;
    }

    // A string read without escapes is plain: what it holds needs none either, unless it holds U+2028 or U+2029.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private LogEvent Event(
        int idStart, int idLength, bool idInJson, long? timestamp, int messageStart, int messageLength, bool messageInJson, int plainLength,
        int escapedStart, int escapedLength, int timestampStart, int timestampLength) =>
        new(idStart, idLength, timestamp, messageStart, messageLength,
            IdPlain: idInJson && JsonText.LineSeparatorIndex(_json.Slice(idStart, idLength)) < 0,
            MessagePlain: messageInJson && plainLength == messageLength,
            escapedStart, escapedLength, idInJson, messageInJson, MessagePlainLength: plainLength, TimestampStart: timestampStart, TimestampLength: timestampLength);

    private enum EventField : byte { Other, Id, Timestamp, Message }

    // A log event's key and its colon: the keys CloudWatch Logs writes are matched as written first,
    // anything else goes through ReadKey.
    private bool ReadEventKey(out EventField field)
    {
        field = EventField.Other;
        if (TakeLiteral("\"message\":"u8)) field = EventField.Message;
        else if (TakeLiteral("\"id\":"u8)) field = EventField.Id;
        else if (TakeLiteral("\"timestamp\":"u8)) field = EventField.Timestamp;
        else if (!ReadKey(out var key)) return false;
        else if (key.SequenceEqual("message"u8)) field = EventField.Message;
        else if (key.SequenceEqual("id"u8)) field = EventField.Id;
        else if (key.SequenceEqual("timestamp"u8)) field = EventField.Timestamp;
        return true;
    }

    // A key without escapes, then its colon; keys with escapes are declined.
    private bool ReadKey(out ReadOnlySpan<byte> key)
    {
        key = default;
        if (!Take((byte)'"')) return false;
        var rest = _json[_at..];
        var end = JsonText.PlainLength(rest);
        if (end == rest.Length || rest[end] != (byte)'"') return false;
        key = rest[..end];
        _at += end + 1;
        return Take((byte)':');
    }

    // A string or null (envelope fields); anything else is declined.
    private bool ReadText(out string? text)
    {
        text = null;
        SkipWhiteSpace();
        if (TakeLiteral("null"u8)) return true;
        var destination = _envelope.Reserve(_json.Length - _at);
        if (!Unescape(destination, out var length)) return false;
        text = Encoding.UTF8.GetString(destination[..length]);
        return true;
    }

    // A string (an event's id); anything else is declined. See below.
    private bool CopyString(out int start, out int length, out bool inJson) => CopyString(out start, out length, out inJson, out _, out _, out _);

    // A string: without escapes (inJson) it stays where it is in the JSON, start and length its place
    // there; else it is unescaped into the envelope's text. plainLength: the bytes before its first
    // escape (the same in both texts), escapedStart and escapedLength its place in the JSON, escapes and all.
    // Anything but a string is declined.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CopyString(out int start, out int length, out bool inJson, out int plainLength, out int escapedStart, out int escapedLength)
    {
        start = length = escapedLength = 0;
        inJson = false;
        SkipWhiteSpace();
        var from = _at;
        escapedStart = from + 1;
        plainLength = 0;
        if (from >= _json.Length || _json[from] != (byte)'"') return false;
        var body = _json[escapedStart..];
        var run = JsonText.PlainLength(body);
        // What the output may copy as it is ends at a U+2028 or U+2029 too: JSON needs no escape for them, NDJSON does.
        var separator = JsonText.LineSeparatorIndex(body[..run]);
        plainLength = separator < 0 ? run : separator;
        if (run < body.Length && body[run] == (byte)'"')
        {
            _at = escapedStart + run + 1;
            start = escapedStart;
            length = escapedLength = run;
            inJson = true;
            return true;
        }

        // The run before the first escape is copied as it is, the rest unescaped after it.
        var destination = _envelope.Reserve(_json.Length - from);
        body[..run].CopyTo(destination);
        _at = escapedStart + run;
        if (!UnescapeBody(destination, run, out length)) return false;
        escapedLength = _at - escapedStart - 1;
        start = _envelope.Commit(length);
        return true;
    }

    // A plain integer that fits a long; fractions, exponents and null are declined. textStart and
    // textLength: where its digits are in the JSON when they are the number's shortest form (no sign, no
    // leading zero), else -1 and 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReadInteger(out long? value, out int textStart, out int textLength)
    {
        value = null;
        textStart = -1;
        textLength = 0;
        SkipWhiteSpace();
        var start = _at;

        // The usual case, a millisecond timestamp: its digits found by one look at 16 bytes, read eight at a time.
        if (_json.Length - start >= Vector128<byte>.Count && Vector128.IsHardwareAccelerated)
        {
            ref var first = ref Unsafe.Add(ref MemoryMarshal.GetReference(_json), start);
            var digits = Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref first) - Vector128.Create((byte)'0'), Vector128.Create((byte)9));
            var count = BitOperations.TrailingZeroCount(~digits.ExtractMostSignificantBits());
            if (count is > 0 and < 16 && (first != (byte)'0' || count == 1) && !IsNumberPart(Unsafe.Add(ref first, count)))
            {
                _at = start + count;
                value = DecimalDigits(ref first, count);
                textStart = start;
                textLength = count;
                return true;
            }
        }

        // Else in one pass: up to 18 digits cannot overflow a long.
        long plain = 0;
        var end = Math.Min(_json.Length, start + 18);
        var at = start;
        for (; at < end && char.IsAsciiDigit((char)_json[at]); at++) plain = (plain * 10) + (_json[at] - '0');
        if (at > start && (_json[start] != (byte)'0' || at == start + 1) && (at == _json.Length || !IsNumberPart(_json[at])))
        {
            _at = at;
            value = plain;
            textStart = start;
            textLength = at - start;
            return true;
        }

        if (!SkipNumber()) return false;
        if (!Utf8Parser.TryParse(_json[start.._at], out long number, out var consumed) || consumed != _at - start) return false;
        value = number;
        return true;
    }

    // The value of the 1 to 15 ASCII digits at first, which has 16 bytes to read.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long DecimalDigits(ref byte first, int count)
    {
        const ulong Zeros = 0x3030303030303030;
        // A word's digits less '0', the first digit in its lowest byte. What follows the digits may borrow
        // in the subtraction, but only from the bytes after it, which the shift drops: the digits end up
        // last, after as many zero digits as it takes to make eight.
        if (count <= 8) return (long)EightDigits((Unsafe.ReadUnaligned<ulong>(ref first) - Zeros) << (8 * (8 - count)));
        var high = EightDigits(Unsafe.ReadUnaligned<ulong>(ref first) - Zeros);
        var low = EightDigits((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, 8)) - Zeros) << (8 * (16 - count)));
        return (long)((high * PowersOfTen[count - 8]) + low);
    }

    // Eight digit values (0-9), the most significant in the lowest byte, as a number: pairs, then
    // fours, then the whole (D. Lemire's method).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(ulong digits)
    {
        digits = (digits * 10) + (digits >> 8);
        return (((digits & 0x000000FF000000FF) * 0x000F424000000064) + (((digits >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >> 32;
    }

    private static ReadOnlySpan<ulong> PowersOfTen => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

    /// <summary>Unescapes the string at the cursor into <paramref name="destination"/>, which has room for the rest of the JSON.</summary>
    private bool Unescape(scoped Span<byte> destination, out int written)
    {
        written = 0;
        if (_at >= _json.Length || _json[_at] != (byte)'"') return false;
        _at++;
        return UnescapeBody(destination, 0, out written);
    }

    // The rest of a string's text from the cursor (past its opening quote), unescaped into destination
    // after the `from` bytes already there, up to its closing quote; written: the text's whole length.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool UnescapeBody(scoped Span<byte> destination, int from, out int written)
    {
        written = from;
        while (true)
        {
            written += JsonText.Unescape(_json[_at..], destination[written..], out var read);
            _at += read;
            if (_at == _json.Length) return false;
            switch (_json[_at++])
            {
                case (byte)'"':
                    return true;
                case (byte)'\\':
                    // A \u escape, or one JSON does not have.
                    if (!UnescapeOne(destination[written..], out var length)) return false;
                    written += length;
                    break;
                default:
                    return false; // A control character must be escaped in JSON.
            }
        }
    }

    // The escape after a backslash (the cursor is past the backslash).
    private bool UnescapeOne(scoped Span<byte> destination, out int written)
    {
        written = 1;
        if (_at >= _json.Length) return false;
        var c = _json[_at++];
        if (JsonText.Unescaped(c) is var simple and not 0)
        {
            destination[0] = simple;
            return true;
        }

        if (c != (byte)'u') return false;

        if (!ReadHex(out var unit)) return false;
        var scalar = (int)unit;
        if (char.IsLowSurrogate((char)unit)) return false;
        if (char.IsHighSurrogate((char)unit))
        {
            // Only a pair makes a character; a lone half is declined.
            if (!TakeLiteral("\\u"u8) || !ReadHex(out var low) || !char.IsLowSurrogate((char)low)) return false;
            scalar = char.ConvertToUtf32((char)unit, (char)low);
        }

        return new Rune(scalar).TryEncodeToUtf8(destination, out written);
    }

    private bool ReadHex(out uint value)
    {
        value = 0;
        if (_json.Length - _at < 4) return false;
        for (var i = 0; i < 4; i++)
        {
            var digit = HexValue(_json[_at + i]);
            if (digit < 0) return false;
            value = (value << 4) | (uint)digit;
        }

        _at += 4;
        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private bool SkipValue(int depth)
    {
        if (depth > MaxDepth) return false;
        SkipWhiteSpace();
        if (_at >= _json.Length) return false;
        switch (_json[_at])
        {
            case (byte)'"':
                _at++;
                return SkipStringBody();
            case (byte)'{':
                _at++;
                if (Take((byte)'}')) return true;
                do
                {
                    if (!Take((byte)'"') || !SkipStringBody() || !Take((byte)':') || !SkipValue(depth + 1)) return false;
                }
                while (Take((byte)','));

                return Take((byte)'}');
            case (byte)'[':
                _at++;
                if (Take((byte)']')) return true;
                do
                {
                    if (!SkipValue(depth + 1)) return false;
                }
                while (Take((byte)','));

                return Take((byte)']');
            case (byte)'t': return TakeLiteral("true"u8);
            case (byte)'f': return TakeLiteral("false"u8);
            case (byte)'n': return TakeLiteral("null"u8);
            default: return SkipNumber();
        }
    }

    // Checks a string's escapes without keeping it (the cursor is past the opening quote).
    private bool SkipStringBody()
    {
        Span<byte> scratch = stackalloc byte[4];
        while (true)
        {
            var rest = _json[_at..];
            var stop = JsonText.PlainLength(rest);
            if (stop == rest.Length) return false;
            _at += stop + 1;
            if (rest[stop] == (byte)'"') return true;
            if (rest[stop] != (byte)'\\' || !UnescapeOne(scratch, out _)) return false;
        }
    }

    // JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private bool SkipNumber()
    {
        if (Peek() == (byte)'-') _at++;
        if (Peek() == (byte)'0') _at++;
        else if (!SkipDigits()) return false;
        if (Peek() == (byte)'.')
        {
            _at++;
            if (!SkipDigits()) return false;
        }

        if (Peek() is (byte)'e' or (byte)'E')
        {
            _at++;
            if (Peek() is (byte)'+' or (byte)'-') _at++;
            if (!SkipDigits()) return false;
        }

        return true;
    }

    // A byte that would continue a number: the fast path leaves anything this long or this shaped to the grammar.
    internal static bool IsNumberPart(byte b) => char.IsAsciiDigit((char)b) || b is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'-' or (byte)'+';

    private bool SkipDigits()
    {
        var start = _at;
        while (_at < _json.Length && char.IsAsciiDigit((char)_json[_at])) _at++;
        return _at > start;
    }

    private int Peek() => _at < _json.Length ? _json[_at] : -1;

    // Skips white space, then takes one structural byte if it is there.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Take(byte expected)
    {
        SkipWhiteSpace();
        if (_at >= _json.Length || _json[_at] != expected) return false;
        _at++;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TakeLiteral(ReadOnlySpan<byte> literal)
    {
        if (!_json[_at..].StartsWith(literal)) return false;
        _at += literal.Length;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SkipWhiteSpace()
    {
        while (_at < _json.Length && _json[_at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') _at++;
    }
}
