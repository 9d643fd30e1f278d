namespace PgAuditFirehose.Redaction;

/// <summary>
/// Finds the secrets of one SQL text over its tokens (never a pattern over the text): the literal
/// after a secret-like name (<c>PASSWORD 'x'</c>, <c>OPTIONS (password 'x')</c>, <c>SET app.api_key = 'x'</c>),
/// the password inside every string literal that holds a connection string or URI, the key arguments
/// of pgcrypto's functions and a secret setting's value in set_config. A text that ends inside a
/// literal, quoted name or comment is read as far as it lexes, and the rest counts as secret. Also
/// notes the bound parameters (<c>$n</c>) that stand in a secret's place. Reused from text to text.
/// </summary>
internal sealed partial class SecretFinder
{
    private readonly SqlLexer _lexer = new();
    private readonly DecodedText _decoded = new();
    private readonly List<RedactionEdit> _edits = [];
    private readonly int[] _ranges = new int[16];
    private bool[] _secretParameters = new bool[16];
    private readonly int _depth;
    private SecretFinder? _inner;
    private char[]? _widened;

    public SecretFinder()
        : this(0)
    {
    }

    // depth: how many literals deep this finder reads (a DO body's EXECUTE string is two).
    private SecretFinder(int depth) => _depth = depth;

    private const int MaxDepth = 2;

    /// <summary>The ranges to replace, in order, none overlapping.</summary>
    public IReadOnlyList<RedactionEdit> Edits => _edits;

    /// <summary>Whether <c>$n</c> stood where a secret goes in the last text looked at (and so its value is one).</summary>
    public bool IsSecretParameter(int n) => n > 0 && n < _secretParameters.Length && _secretParameters[n];

    public bool AnySecretParameter { get; private set; }

    /// <summary>
    /// Looks at <paramref name="text"/>; true when it holds something to redact. <paramref name="rawLine"/>:
    /// the text is a whole log line, whose CSV quotes are not SQL's (a '"' is then an operator, not a name's quote).
    /// </summary>
    public bool Find(ReadOnlySpan<byte> text, bool rawLine = false)
    {
        _edits.Clear();
        Forget();
        var unterminated = _lexer.Lex(text, rawLine, standardConformingStrings: true);
        if (unterminated >= 0)
        {
            // With standard_conforming_strings off, 'pa\'ss' is one literal: if the text lexes so, read it so.
            var other = _lexer.Lex(text, rawLine, standardConformingStrings: false);
            if (other < 0) unterminated = -1;
            else _lexer.Lex(text, rawLine, standardConformingStrings: true);
        }

        FindInTokens(text, _lexer.Tokens);
        if (unterminated >= 0) _edits.Add(new RedactionEdit(unterminated, text.Length, Unterminated: true));
        Normalize();
        return _edits.Count > 0;
    }

    /// <summary>
    /// Adds every place where one of <paramref name="secrets"/> (texts already found to be secret in another
    /// column of the same record, such as a statement's literal quoted in an error message) occurs in
    /// <paramref name="text"/>, to the edits of the last <see cref="Find"/> (or to none, <paramref name="fresh"/>).
    /// </summary>
    public bool AddOccurrences(ReadOnlySpan<byte> text, KnownSecrets secrets, bool fresh)
    {
        if (fresh) _edits.Clear();
        for (var k = 0; k < secrets.Count; k++)
        {
            var secret = secrets[k];
            for (var from = 0; from < text.Length;)
            {
                var at = text[from..].IndexOf(secret);
                if (at < 0) break;
                _edits.Add(new RedactionEdit(from + at, from + at + secret.Length));
                from += at + secret.Length;
            }
        }

        Normalize();
        return _edits.Count > 0;
    }

    /// <summary>Drops what the last text said about parameters (a new line starts).</summary>
    public void Forget()
    {
        if (AnySecretParameter) Array.Clear(_secretParameters);
        AnySecretParameter = false;
    }

    /// <summary>The passwords inside a bound parameter's value, when it is a connection string or URI.</summary>
    public bool FindInConnectionText(ReadOnlySpan<byte> value)
    {
        _edits.Clear();
        var n = ConnectionString.FindPasswords(value, _ranges);
        for (var k = 0; k < n; k += 2) _edits.Add(new RedactionEdit(_ranges[k], _ranges[k + 1]));
        Normalize();
        return _edits.Count > 0;
    }

    private void FindInTokens(ReadOnlySpan<byte> text, ReadOnlySpan<SqlToken> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.IsName)
            {
                var name = Name(text, tokens, i);
                if (i + 1 < tokens.Length && tokens[i + 1].Is(text, '(')) Call(text, tokens, i, name);
                if (SecretNames.IsSecret(name)) ValueAfterName(text, tokens, i);
            }
            else if (token.IsStringLiteral && token.Kind != SqlTokenKind.BitString)
            {
                ConnectionText(text, tokens, i);
                if (_depth < MaxDepth) NestedSql(text, tokens, i);
            }
        }
    }

    // A name's value: a word as it is (case is ignored later), a quoted one decoded.
    private ReadOnlySpan<byte> Name(ReadOnlySpan<byte> text, ReadOnlySpan<SqlToken> tokens, int i)
    {
        var token = tokens[i];
        if (token.Kind == SqlTokenKind.Word) return text[token.Start..token.End];
        _decoded.Decode(text, token, UnicodeEscape(text, tokens, i));
        return _decoded.Value;
    }

    // name 'x', name = 'x', name TO 'x' (and $n in the literal's place).
    private void ValueAfterName(ReadOnlySpan<byte> text, ReadOnlySpan<SqlToken> tokens, int i)
    {
        var j = i + 1;
        if (j < tokens.Length && (tokens[j].Is(text, '=') || IsWord(text, tokens[j], "to"u8))) j++;
        if (j < tokens.Length) Secret(text, tokens, j, j + 1);
    }

    // Every string literal that holds a connection string or URI: its passwords, mapped back to the text.
    private void ConnectionText(ReadOnlySpan<byte> text, ReadOnlySpan<SqlToken> tokens, int i)
    {
        var token = tokens[i];
        var raw = text[token.Start..token.End];
        var escapes = token.Kind is SqlTokenKind.ExtendedString or SqlTokenKind.UnicodeString;
        if (!escapes && !ContainsIgnoreCase(raw, "password"u8) && raw.IndexOf("://"u8) < 0) return;
        _decoded.Decode(text, token, UnicodeEscape(text, tokens, i));
        var n = ConnectionString.FindPasswords(_decoded.Value, _ranges);
        for (var k = 0; k < n; k += 2)
        {
            var start = _decoded.Source(_ranges[k]);
            var end = _decoded.Source(_ranges[k + 1]);
            if (end > start) _edits.Add(new RedactionEdit(start, end));
        }
    }

    // A literal that is SQL itself (a function or DO body, EXECUTE's string): its secrets by the same rules,
    // mapped back through its decoding. What does not lex there is no SQL, not a secret.
    private void NestedSql(ReadOnlySpan<byte> text, ReadOnlySpan<SqlToken> tokens, int i)
    {
        var token = tokens[i];
        if (!SecretTriggers.Hit(text[token.Start..token.End], _widened ??= new char[SecretTriggers.Chunk])) return;
        _decoded.Decode(text, token, UnicodeEscape(text, tokens, i));
        _inner ??= new SecretFinder(_depth + 1);
        var value = _decoded.Value;
        if (!_inner.Find(value)) return;
        foreach (var edit in _inner.Edits)
        {
            if (!edit.Unterminated) _edits.Add(new RedactionEdit(_decoded.Source(edit.Start), _decoded.Source(edit.End)));
        }
    }

    private static bool IsWord(ReadOnlySpan<byte> text, SqlToken token, ReadOnlySpan<byte> word) =>
        token.Kind == SqlTokenKind.Word && System.Text.Ascii.EqualsIgnoreCase(text[token.Start..token.End], word);

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> word)
    {
        for (var i = text.IndexOfAny(word[0], (byte)char.ToUpperInvariant((char)word[0])); i >= 0 && i + word.Length <= text.Length;)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(text.Slice(i, word.Length), word)) return true;
            var next = text[(i + 1)..].IndexOfAny(word[0], (byte)char.ToUpperInvariant((char)word[0]));
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    // A U& token's escape character: the one its UESCAPE 'c' names, else '\'.
    private static byte UnicodeEscape(ReadOnlySpan<byte> text, ReadOnlySpan<SqlToken> tokens, int i)
    {
        if (tokens[i].Kind is not (SqlTokenKind.UnicodeString or SqlTokenKind.UnicodeIdentifier)) return (byte)'\\';
        if (i + 2 < tokens.Length && IsWord(text, tokens[i + 1], "uescape"u8) && tokens[i + 2].Kind == SqlTokenKind.String
            && tokens[i + 2].End - tokens[i + 2].Start == 3)
        {
            return text[tokens[i + 2].Start + 1];
        }

        return (byte)'\\';
    }
}
