using System.Diagnostics.CodeAnalysis;
using System.Text;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// The fast way through a Firehose transformation event, in the shape Firehose writes it: ASCII only, an
/// object of strings, integers and the records array, each record an object of strings and integers,
/// no string with an escape. Anything else is declined and <see cref="FirehoseRequest"/> reads it with
/// Utf8JsonReader, which words the error; whatever this accepts, both read alike (the tests hold them to
/// that). It is what keeps System.Text.Json off the first invocation: the reader's first use loads the
/// assembly, builds its search tables and jits nine generic methods — about 3 ms of a cold start.
/// </summary>
internal ref struct RequestScanner
{
    private readonly ReadOnlySpan<byte> _json;
    private int _at;

    private RequestScanner(ReadOnlySpan<byte> json) => _json = json;

    /// <summary>The event's invocation id and records, or false when it is anything but plainly shaped.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out string? invocationId, [NotNullWhen(true)] out List<RequestRecord>? records)
    {
        invocationId = null;
        records = null;
        if (!Ascii.IsValid(json)) return false;
        var scanner = new RequestScanner(json);
        return scanner.ReadEvent(ref invocationId, ref records) && records is not null;
    }

    private bool ReadEvent(ref string? invocationId, ref List<RequestRecord>? records)
    {
        if (!Take((byte)'{')) return false;
        if (!Take((byte)'}'))
        {
            do
            {
                if (!ReadKey(out var key)) return false;
                if (key.SequenceEqual("invocationId"u8))
                {
                    if (!ReadString(out var start, out var length)) return false;
                    invocationId = Encoding.UTF8.GetString(_json.Slice(start, length));
                }
                else if (key.SequenceEqual("records"u8))
                {
                    // A second records array: which one is the batch is for the reader to refuse.
                    if (records is not null || !ReadRecords(out records)) return false;
                }
                else if (!SkipScalar())
                {
                    return false;
                }
            }
            while (Take((byte)','));

            if (!Take((byte)'}')) return false;
        }

        return NextByte() < 0;
    }

    private bool ReadRecords([NotNullWhen(true)] out List<RequestRecord>? records)
    {
        records = null;
        if (!Take((byte)'[')) return false;
        var list = new List<RequestRecord>();
        if (!Take((byte)']'))
        {
            do
            {
                if (!ReadRecord(out var record)) return false;
                list.Add(record);
            }
            while (Take((byte)','));

            if (!Take((byte)']')) return false;
        }

        records = list;
        return true;
    }

    // As Utf8JsonReader's reading does: the last of a repeated key wins, no data is empty data, an id is required.
    private bool ReadRecord([NotNullWhen(true)] out RequestRecord? record)
    {
        record = null;
        if (!Take((byte)'{')) return false;
        string? id = null;
        long arrival = 0;
        int start = 0, length = 0;
        if (!Take((byte)'}'))
        {
            do
            {
                if (!ReadKey(out var key)) return false;
                if (key.SequenceEqual("recordId"u8))
                {
                    if (!ReadString(out var idStart, out var idLength)) return false;
                    id = Encoding.UTF8.GetString(_json.Slice(idStart, idLength));
                }
                else if (key.SequenceEqual("approximateArrivalTimestamp"u8))
                {
                    if (!ReadInteger(out arrival)) return false;
                }
                else if (key.SequenceEqual("data"u8))
                {
                    if (!ReadString(out start, out length)) return false;
                }
                else if (!SkipScalar())
                {
                    return false;
                }
            }
            while (Take((byte)','));

            if (!Take((byte)'}')) return false;
        }

        if (id is null) return false;
        record = new RequestRecord(id, arrival, start, length, null);
        return true;
    }

    private bool ReadKey(out ReadOnlySpan<byte> key)
    {
        key = default;
        if (!ReadString(out var start, out var length) || !Take((byte)':')) return false;
        key = _json.Slice(start, length);
        return true;
    }

    // A string without escapes: start and length its text's place in the JSON.
    private bool ReadString(out int start, out int length)
    {
        start = length = 0;
        if (NextByte() != (byte)'"') return false;
        start = _at + 1;
        var rest = _json[start..];
        length = JsonText.PlainLength(rest);
        if (length == rest.Length || rest[length] != (byte)'"') return false;
        _at = start + length + 1;
        return true;
    }

    // A plain integer of up to 18 digits (no sign, no leading zero, no fraction or exponent).
    private bool ReadInteger(out long value)
    {
        value = 0;
        if (NextByte() < 0) return false;
        var start = _at;
        var end = Math.Min(_json.Length, start + 18);
        for (; _at < end && char.IsAsciiDigit((char)_json[_at]); _at++) value = (value * 10) + (_json[_at] - '0');
        var digits = _at - start;
        return digits > 0 && (_json[start] != (byte)'0' || digits == 1) && (_at == _json.Length || !EnvelopeScanner.IsNumberPart(_json[_at]));
    }

    // The value of a key the event is not read for: a plain string, integer, true, false or null.
    private bool SkipScalar() => NextByte() switch
    {
        (byte)'"' => ReadString(out _, out _),
        (byte)'t' => TakeLiteral("true"u8),
        (byte)'f' => TakeLiteral("false"u8),
        (byte)'n' => TakeLiteral("null"u8),
        _ => ReadInteger(out _),
    };

    private bool TakeLiteral(ReadOnlySpan<byte> literal)
    {
        if (!_json[_at..].StartsWith(literal)) return false;
        _at += literal.Length;
        return true;
    }

    private bool Take(byte expected)
    {
        if (NextByte() != expected) return false;
        _at++;
        return true;
    }

    // The next byte after white space, not taken; -1 at the end.
    private int NextByte()
    {
        while (_at < _json.Length && _json[_at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') _at++;
        return _at < _json.Length ? _json[_at] : -1;
    }
}
