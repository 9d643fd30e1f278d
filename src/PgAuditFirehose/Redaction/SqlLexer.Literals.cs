namespace PgAuditFirehose.Redaction;

/// <summary>The ends of strings, quoted identifiers, dollar quotes, numbers and operators.</summary>
internal sealed partial class SqlLexer
{
    /// <summary>
    /// Past the quote that closes a literal whose text starts at <paramref name="i"/>, continuations
    /// (<c>'a'</c> newline <c>'b'</c>) included; -1 when the text ends inside it.
    /// </summary>
    public static int QuotedEnd(ReadOnlySpan<byte> text, int i, bool backslashEscapes, bool doubling)
    {
        while (true)
        {
            var close = ClosingQuote(text, i, backslashEscapes, doubling);
            if (close < 0) return -1;
            var next = ContinuationStart(text, close + 1);
            if (next < 0) return close + 1;
            i = next;
        }
    }

    private static int ClosingQuote(ReadOnlySpan<byte> text, int i, bool backslashEscapes, bool doubling)
    {
        while (i < text.Length)
        {
            var rest = text[i..];
            var at = backslashEscapes ? rest.IndexOfAny((byte)'\'', (byte)'\\') : rest.IndexOf((byte)'\'');
            if (at < 0) return -1;
            i += at;
            if (text[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (doubling && i + 1 < text.Length && text[i + 1] == '\'')
            {
                i += 2;
                continue;
            }

            return i;
        }

        return -1;
    }

    /// <summary>
    /// After a literal's closing quote: where the text of a continuing literal starts (past its opening
    /// quote) when only whitespace holding a newline, and <c>--</c> comments, lie between; else -1.
    /// </summary>
    public static int ContinuationStart(ReadOnlySpan<byte> text, int i)
    {
        var newline = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is (byte)'\n' or (byte)'\r')
            {
                newline = true;
                i++;
            }
            else if (c is (byte)' ' or (byte)'\t' or (byte)'\f')
            {
                i++;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                var end = text[i..].IndexOfAny((byte)'\n', (byte)'\r');
                if (end < 0) return -1;
                i += end;
            }
            else
            {
                return newline && c == '\'' ? i + 1 : -1;
            }
        }

        return -1;
    }

    // Past the closing '"' of a quoted identifier ("" is a quote inside it); -1 when the text ends first.
    private static int IdentifierEnd(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length)
        {
            var at = text[i..].IndexOf((byte)'"');
            if (at < 0) return -1;
            i += at + 1;
            if (i < text.Length && text[i] == '"') i++;
            else return i;
        }

        return -1;
    }

    // $1 (a parameter), $$ or $tag$ (a dollar quote, to its matching delimiter), or a lone '$'.
    private static SqlTokenKind Dollar(ReadOnlySpan<byte> text, ref int i)
    {
        var j = i + 1;
        if (j < text.Length && char.IsAsciiDigit((char)text[j]))
        {
            while (j < text.Length && char.IsAsciiDigit((char)text[j])) j++;
            i = j;
            return SqlTokenKind.Parameter;
        }

        while (j < text.Length && (IsIdentifierStart(text[j]) || (j > i + 1 && char.IsAsciiDigit((char)text[j])))) j++;
        if (j >= text.Length || text[j] != '$')
        {
            // scan.l's dolqfailed: the '$' alone is a token; what follows is lexed anew.
            i++;
            return SqlTokenKind.Operator;
        }

        var delimiter = text[i..(j + 1)];
        var close = text[(j + 1)..].IndexOf(delimiter);
        i = close < 0 ? -1 : j + 1 + close + delimiter.Length;
        return SqlTokenKind.DollarString;
    }

    // Digits, a fraction, an exponent, and whatever identifier characters stick to them (0x1F, 1_000, junk).
    private static int NumberEnd(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && (char.IsAsciiDigit((char)text[i]) || text[i] == '_')) i++;
        if (i < text.Length && text[i] == '.' && !(i + 1 < text.Length && text[i + 1] == '.'))
        {
            i++;
            while (i < text.Length && (char.IsAsciiDigit((char)text[i]) || text[i] == '_')) i++;
        }

        if (i + 1 < text.Length && (text[i] | 0x20) == 'e' && (char.IsAsciiDigit((char)text[i + 1]) || text[i + 1] is (byte)'+' or (byte)'-'))
        {
            i += 2;
        }

        while (i < text.Length && (IsIdentifierStart(text[i]) || char.IsAsciiDigit((char)text[i]))) i++;
        return i;
    }

    private static bool IsOperatorChar(byte c) => c is (byte)'~' or (byte)'!' or (byte)'@' or (byte)'#' or (byte)'^' or (byte)'&'
        or (byte)'|' or (byte)'`' or (byte)'?' or (byte)'+' or (byte)'-' or (byte)'*' or (byte)'/' or (byte)'%' or (byte)'<' or (byte)'>' or (byte)'=';

    // An operator runs over operator characters but stops where a comment starts; anything else is one character.
    private static int OperatorEnd(ReadOnlySpan<byte> text, int i)
    {
        if (!IsOperatorChar(text[i])) return i + 1;
        i++;
        while (i < text.Length && IsOperatorChar(text[i]))
        {
            if (i + 1 < text.Length && ((text[i] == '-' && text[i + 1] == '-') || (text[i] == '/' && text[i + 1] == '*'))) break;
            i++;
        }

        return i;
    }
}
