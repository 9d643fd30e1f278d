using System.Text;

namespace PgAuditFirehose.Redaction;

/// <summary>
/// The value of a literal or name token as PostgreSQL reads it (quotes undoubled, escapes and
/// continuations settled, a word lower-cased), with each value byte's place in the source text, so
/// that a part of the value (a password in a connection string) maps back to the text to redact.
/// Reused from token to token.
/// </summary>
internal sealed class DecodedText
{
    private byte[] _bytes = new byte[256];
    private int[] _sources = new int[257];
    private byte _unicodeEscape;

    public ReadOnlySpan<byte> Value => _bytes.AsSpan(0, Length);

    public int Length { get; private set; }

    /// <summary>Where the construct that gave value byte <paramref name="index"/> starts in the source; at <see cref="Length"/>, where the value's text ends.</summary>
    public int Source(int index) => _sources[index];

    /// <summary>Decodes <paramref name="token"/> of <paramref name="text"/>; a U&amp; token uses <paramref name="unicodeEscape"/> (its UESCAPE, else '\').</summary>
    public void Decode(ReadOnlySpan<byte> text, SqlToken token, byte unicodeEscape = (byte)'\\')
    {
        Length = 0;
        _unicodeEscape = unicodeEscape;
        var room = token.End - token.Start + 1;
        if (_bytes.Length < room)
        {
            _bytes = new byte[room * 2];
            _sources = new int[(room * 2) + 1];
        }

        var t = text[..token.End];
        var end = token.End;
        switch (token.Kind)
        {
            case SqlTokenKind.Word:
                for (var i = token.Start; i < token.End; i++) Put((byte)char.ToLowerInvariant((char)t[i]), i);
                break;
            case SqlTokenKind.QuotedIdentifier:
                end = Quoted(t, token.Start + 1, (byte)'"', escape: 0, backslash: false);
                break;
            case SqlTokenKind.UnicodeIdentifier:
                end = Quoted(t, token.Start + 3, (byte)'"', unicodeEscape, backslash: false);
                break;
            case SqlTokenKind.DollarString:
                var delimiter = t[(token.Start + 1)..].IndexOf((byte)'$') + 2;
                for (var i = token.Start + delimiter; i < token.End - delimiter; i++) Put(t[i], i);
                end = token.End - delimiter;
                break;
            default:
                end = Literal(t, token);
                break;
        }

        _sources[Length] = end;
    }

    // Every piece of a literal ('a' newline 'b'); returns where the last piece's text ends.
    private int Literal(ReadOnlySpan<byte> t, SqlToken token)
    {
        var i = t[token.Start..].IndexOf((byte)'\'') + token.Start + 1;
        var kind = token.Kind;
        while (true)
        {
            var close = kind == SqlTokenKind.BitString ? t[i..].IndexOf((byte)'\'') + i : -1;
            if (kind == SqlTokenKind.BitString)
            {
                for (var j = i; j < close; j++) Put(t[j], j);
            }
            else
            {
                close = Quoted(t, i, (byte)'\'', kind == SqlTokenKind.UnicodeString ? _unicodeEscape : (byte)0, kind == SqlTokenKind.ExtendedString);
            }

            var next = SqlLexer.ContinuationStart(t, close + 1);
            if (next < 0) return close;
            i = next;
        }
    }

    // The text from i up to its closing quote: doubled quotes undoubled, E'' or U& escapes settled. Returns the closing quote's place.
    private int Quoted(ReadOnlySpan<byte> t, int i, byte quote, byte escape, bool backslash)
    {
        while (i < t.Length)
        {
            var c = t[i];
            if (c == quote)
            {
                if (i + 1 < t.Length && t[i + 1] == quote)
                {
                    Put(quote, i);
                    i += 2;
                    continue;
                }

                return i;
            }

            if (backslash && c == '\\' && i + 1 < t.Length) i = Backslash(t, i);
            else if (escape != 0 && c == escape && i + 1 < t.Length) i = UnicodeEscape(t, i, escape);
            else Put(c, i++);
        }

        return t.Length;
    }

    // An E'' escape at i: \b \f \n \r \t, \ooo, \xhh, \uXXXX, \UXXXXXXXX, else the next byte as it is.
    private int Backslash(ReadOnlySpan<byte> t, int i)
    {
        var c = t[i + 1];
        switch (c)
        {
            case (byte)'b': Put(8, i); return i + 2;
            case (byte)'f': Put(12, i); return i + 2;
            case (byte)'n': Put(10, i); return i + 2;
            case (byte)'r': Put(13, i); return i + 2;
            case (byte)'t': Put(9, i); return i + 2;
            case >= (byte)'0' and <= (byte)'7':
                var octal = Digits(t, i + 1, 3, 8, out var octalEnd);
                Put((byte)octal, i);
                return octalEnd;
            case (byte)'x' when i + 2 < t.Length && char.IsAsciiHexDigit((char)t[i + 2]):
                var hex = Digits(t, i + 2, 2, 16, out var hexEnd);
                Put((byte)hex, i);
                return hexEnd;
            case (byte)'u' or (byte)'U':
                var count = c == 'u' ? 4 : 8;
                if (HasHex(t, i + 2, count) && PutCodePoint(Digits(t, i + 2, count, 16, out var end), i)) return end;
                break;
        }

        Put(c, i);
        return i + 2;
    }

    // A U& escape at i: the escape doubled, escape + four hex digits, escape '+' six hex digits, else the escape as it is.
    private int UnicodeEscape(ReadOnlySpan<byte> t, int i, byte escape)
    {
        if (t[i + 1] == escape)
        {
            Put(escape, i);
            return i + 2;
        }

        if (HasHex(t, i + 1, 4) && PutCodePoint(Digits(t, i + 1, 4, 16, out var end), i)) return end;
        if (t[i + 1] == '+' && HasHex(t, i + 2, 6) && PutCodePoint(Digits(t, i + 2, 6, 16, out end), i)) return end;
        Put(escape, i);
        return i + 1;
    }

    private static bool HasHex(ReadOnlySpan<byte> t, int i, int count)
    {
        if (i + count > t.Length) return false;
        foreach (var b in t.Slice(i, count))
        {
            if (!char.IsAsciiHexDigit((char)b)) return false;
        }

        return true;
    }

    private static long Digits(ReadOnlySpan<byte> t, int i, int max, int radix, out int end)
    {
        long value = 0;
        end = i;
        while (end < t.Length && end - i < max && HexValue(t[end]) is var digit && digit < radix)
        {
            value = (value * radix) + digit;
            end++;
        }

        return value;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => 99,
    };

    private bool PutCodePoint(long value, int source)
    {
        if (value > 0x10FFFF || !Rune.IsValid((int)value)) return false;
        Span<byte> utf8 = stackalloc byte[4];
        var written = new Rune((int)value).EncodeToUtf8(utf8);
        foreach (var b in utf8[..written]) Put(b, source);
        return true;
    }

    private void Put(byte b, int source)
    {
        if (Length + 4 >= _bytes.Length)
        {
            Array.Resize(ref _bytes, _bytes.Length * 2);
            Array.Resize(ref _sources, _bytes.Length + 1);
        }

        _bytes[Length] = b;
        _sources[Length++] = source;
    }
}
