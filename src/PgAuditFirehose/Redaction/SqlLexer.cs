namespace PgAuditFirehose.Redaction;

/// <summary>
/// PostgreSQL's lexer (src/backend/parser/scan.l) over UTF-8 text, as far as telling literals, names,
/// comments and operators apart goes: strings (standard with <c>''</c>, E'' with backslash escapes,
/// U&amp;'', B'', X'', N'', dollar quoting), quoted identifiers (<c>""</c>, U&amp;""), <c>--</c> and
/// nested <c>/* */</c> comments (skipped), parameters, numbers and operators. Strings separated by
/// whitespace that holds a newline are one literal, as in PostgreSQL. Linear in the text; reuses its
/// token array. standard_conforming_strings is taken as on (the default since 9.1); with it off, a
/// backslash before a quote would end a literal later than here, which the redactor's check of the
/// literal's end covers.
/// </summary>
internal sealed partial class SqlLexer
{
    private SqlToken[] _tokens = new SqlToken[64];
    private bool _rawLine;
    private bool _standardStrings = true;

    /// <summary>The tokens of the last <see cref="Lex"/>.</summary>
    public ReadOnlySpan<SqlToken> Tokens => _tokens.AsSpan(0, Count);

    public int Count { get; private set; }

    /// <summary>
    /// Splits <paramref name="text"/> into tokens. Returns where an unterminated string, quoted
    /// identifier or comment starts (the text ran out inside it: a truncated statement), else -1;
    /// the tokens before it are kept.
    /// </summary>
    /// <paramref name="rawLine"/>: a '"' is an operator, not a name's quote (a whole log line, whose CSV quotes are not SQL's).
    /// <paramref name="standardConformingStrings"/> off: a backslash escapes in '...' too, as in E'...'.
    public int Lex(ReadOnlySpan<byte> text, bool rawLine = false, bool standardConformingStrings = true)
    {
        Count = 0;
        _rawLine = rawLine;
        _standardStrings = standardConformingStrings;
        var i = 0;
        while (true)
        {
            i = SkipSpaceAndComments(text, i, out var unterminatedComment);
            if (unterminatedComment >= 0) return unterminatedComment;
            if (i >= text.Length) return -1;
            var start = i;
            var kind = Next(text, ref i);
            if (i < 0) return start;
            Add(new SqlToken(kind, start, i));
        }
    }

    private void Add(SqlToken token)
    {
        if (Count == _tokens.Length) Array.Resize(ref _tokens, Count * 2);
        _tokens[Count++] = token;
    }

    // One token from text[i]; i moves past it, or becomes -1 when the text ends inside it.
    private SqlTokenKind Next(ReadOnlySpan<byte> text, ref int i)
    {
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : (byte)0;
        switch (c)
        {
            case (byte)'\'':
                i = QuotedEnd(text, i + 1, backslashEscapes: !_standardStrings, doubling: true);
                return _standardStrings ? SqlTokenKind.String : SqlTokenKind.ExtendedString;
            case (byte)'"' when !_rawLine:
                i = IdentifierEnd(text, i + 1);
                return SqlTokenKind.QuotedIdentifier;
            case (byte)'$':
                return Dollar(text, ref i);
        }

        // A one-letter prefix counts only right before the quote (scan.l: "ne'" is the word ne, then a string).
        if (next == '\'')
        {
            switch (c | 0x20)
            {
                case 'e':
                    i = QuotedEnd(text, i + 2, backslashEscapes: true, doubling: true);
                    return SqlTokenKind.ExtendedString;
                case 'n':
                    i = QuotedEnd(text, i + 2, backslashEscapes: !_standardStrings, doubling: true);
                    return _standardStrings ? SqlTokenKind.String : SqlTokenKind.ExtendedString;
                case 'b' or 'x':
                    i = QuotedEnd(text, i + 2, backslashEscapes: false, doubling: false);
                    return SqlTokenKind.BitString;
            }
        }

        if ((c | 0x20) == 'u' && next == '&' && i + 2 < text.Length)
        {
            if (text[i + 2] == '\'')
            {
                i = QuotedEnd(text, i + 3, backslashEscapes: false, doubling: true);
                return SqlTokenKind.UnicodeString;
            }

            if (text[i + 2] == '"' && !_rawLine)
            {
                i = IdentifierEnd(text, i + 3);
                return SqlTokenKind.UnicodeIdentifier;
            }
        }

        if (IsIdentifierStart(c))
        {
            i++;
            while (i < text.Length && (IsIdentifierStart(text[i]) || char.IsAsciiDigit((char)text[i]) || text[i] == '$')) i++;
            return SqlTokenKind.Word;
        }

        if (char.IsAsciiDigit((char)c) || (c == '.' && char.IsAsciiDigit((char)next)))
        {
            i = NumberEnd(text, i);
            return SqlTokenKind.Number;
        }

        i = OperatorEnd(text, i);
        return SqlTokenKind.Operator;
    }

    // scan.l's ident_start: letters, underscore and every byte of a multi-byte character.
    public static bool IsIdentifierStart(byte c) => char.IsAsciiLetter((char)c) || c == '_' || c >= 0x80;

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v';

    private static int SkipSpaceAndComments(ReadOnlySpan<byte> text, int i, out int unterminated)
    {
        unterminated = -1;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsSpace(c))
            {
                i++;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                var newline = text[i..].IndexOfAny((byte)'\n', (byte)'\r');
                i = newline < 0 ? text.Length : i + newline;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = CommentEnd(text, i + 2);
                if (end < 0)
                {
                    unterminated = i;
                    return text.Length;
                }

                i = end;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    // Past the */ that closes a comment opened before i, nested /* */ counted; -1 when the text ends first.
    private static int CommentEnd(ReadOnlySpan<byte> text, int i)
    {
        var depth = 0;
        while (i + 1 < text.Length)
        {
            if (text[i] == '/' && text[i + 1] == '*')
            {
                depth++;
                i += 2;
            }
            else if (text[i] == '*' && text[i + 1] == '/')
            {
                i += 2;
                if (depth-- == 0) return i;
            }
            else
            {
                i++;
            }
        }

        return -1;
    }
}
