using System.Buffers;
using System.Text;

namespace PgAuditFirehose.Redaction;

/// <summary>
/// Finds the passwords in libpq connection text, by libpq's own rules (conninfo_parse): a
/// <c>password=</c> or <c>sslpassword=</c> keyword, spaces allowed around '=', its value unquoted up to
/// whitespace or in single quotes with backslash escapes; and in a URI
/// (<c>postgresql://user:secret@host/db?password=...</c>) the userinfo's password and the query's.
/// Tolerant of anything around them: any text is scanned, not only well-formed connection strings.
/// </summary>
internal static class ConnectionString
{
    private static readonly SearchValues<byte> AuthorityEnd = SearchValues.Create("/?# \t\n\r'\""u8);

    /// <summary>The value ranges to redact, written to <paramref name="ranges"/> as start, end pairs; returns how many numbers were written.</summary>
    public static int FindPasswords(ReadOnlySpan<byte> text, Span<int> ranges)
    {
        var n = 0;
        var from = 0;
        while (n + 2 <= ranges.Length && from < text.Length)
        {
            var at = IndexOfPassword(text, from);
            if (at < 0) break;
            from = at + 8;
            if (!IsKeyword(text, at)) continue;
            var value = SkipSpaces(text, at + 8);
            if (value >= text.Length || text[value] != '=') continue;
            value = SkipSpaces(text, value + 1);
            var inQuery = at > 0 && text[at - 1] is (byte)'?' or (byte)'&';
            var end = ValueEnd(text, value, inQuery);
            ranges[n++] = value;
            ranges[n++] = end;
            from = end;
        }

        var scheme = text.IndexOf("://"u8);
        if (scheme >= 0 && n + 2 <= ranges.Length && UserInfoPassword(text, scheme + 3, out var start, out var stop))
        {
            ranges[n++] = start;
            ranges[n++] = stop;
        }

        return n;
    }

    private static int IndexOfPassword(ReadOnlySpan<byte> text, int from)
    {
        for (var i = from; i + 8 <= text.Length; i++)
        {
            if ((text[i] | 0x20) == 'p' && Ascii.EqualsIgnoreCase(text.Slice(i, 8), "password"u8)) return i;
        }

        return -1;
    }

    // password or sslpassword as a keyword of its own, not the tail of another word.
    private static bool IsKeyword(ReadOnlySpan<byte> text, int at)
    {
        var start = at >= 3 && Ascii.EqualsIgnoreCase(text.Slice(at - 3, 3), "ssl"u8) ? at - 3 : at;
        return start == 0 || !(char.IsAsciiLetterOrDigit((char)text[start - 1]) || text[start - 1] == '_');
    }

    private static int SkipSpaces(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v') i++;
        return i;
    }

    // A quoted value to its closing quote (\ escapes the next byte), else to whitespace (and '&' in a URI's query).
    private static int ValueEnd(ReadOnlySpan<byte> text, int i, bool inQuery)
    {
        if (i < text.Length && text[i] == '\'')
        {
            for (i++; i < text.Length; i++)
            {
                if (text[i] == '\\') i++;
                else if (text[i] == '\'') return i + 1;
            }

            return text.Length;
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\') i++;
            else if (c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v' || (inQuery && c == '&')) return i;
        }

        return Math.Min(i, text.Length);
    }

    // postgresql://user:password@host: the text between the userinfo's first ':' and its '@'.
    private static bool UserInfoPassword(ReadOnlySpan<byte> text, int from, out int start, out int end)
    {
        start = end = 0;
        var authority = text[from..];
        var stop = authority.IndexOfAny(AuthorityEnd);
        if (stop >= 0) authority = authority[..stop];
        var at = authority.LastIndexOf((byte)'@');
        if (at < 0) return false;
        var colon = authority[..at].IndexOf((byte)':');
        if (colon < 0) return false;
        start = from + colon + 1;
        end = from + at;
        return true;
    }
}
