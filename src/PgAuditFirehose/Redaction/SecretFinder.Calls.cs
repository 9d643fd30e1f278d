namespace PgAuditFirehose.Redaction;

/// <summary>Function calls whose arguments carry secrets, and the edits' upkeep.</summary>
internal sealed partial class SecretFinder
{
    // name( ... ): the secret arguments of pgcrypto's functions, and set_config's value when its setting is secret.
    private void Call(ReadOnlySpan<byte> text, ReadOnlySpan<SqlToken> tokens, int i, ReadOnlySpan<byte> name)
    {
        Span<byte> lower = stackalloc byte[Math.Min(name.Length, 32)];
        if (name.Length > lower.Length) return;
        for (var k = 0; k < name.Length; k++) lower[k] = (byte)char.ToLowerInvariant((char)name[k]);
        var secret = SecretFunctions.SecretArguments(lower);
        var setConfig = secret == 0 && SecretFunctions.IsSetConfig(lower);
        if (secret == 0 && !setConfig) return;

        // The arguments: split at the commas outside nested parentheses and brackets, to the closing one
        // (or to the end of a truncated text).
        var argument = 0;
        var start = i + 2;
        var depth = 0;
        for (var k = start; k <= tokens.Length; k++)
        {
            var end = k == tokens.Length;
            if (!end)
            {
                var token = tokens[k];
                if (token.Is(text, '(') || token.Is(text, '[')) depth++;
                if (depth > 0 && (token.Is(text, ')') || token.Is(text, ']')))
                {
                    depth--;
                    continue;
                }

                end = depth == 0 && (token.Is(text, ',') || token.Is(text, ')'));
                if (!end) continue;
            }

            if (setConfig && argument == 0) secret = IsSecretSetting(text, tokens, start, k) ? 0b10 : 0;
            if ((secret & (1 << Math.Min(argument, 30))) != 0) Secret(text, tokens, start, k);
            if (k == tokens.Length || tokens[k].Is(text, ')')) return;
            argument++;
            start = k + 1;
        }
    }

    // set_config's first argument: one literal naming a secret setting ('app.api_key').
    private bool IsSecretSetting(ReadOnlySpan<byte> text, ReadOnlySpan<SqlToken> tokens, int start, int end)
    {
        if (end - start != 1 || !tokens[start].IsStringLiteral) return end - start == 1 && tokens[start].Kind == SqlTokenKind.Parameter;
        _decoded.Decode(text, tokens[start], UnicodeEscape(text, tokens, start));
        return SecretNames.IsSecret(_decoded.Value);
    }

    // The tokens [start, end) stand where a secret goes: when they hold a literal or a parameter (not only
    // names: a column holds no secret text), all of them are replaced, and the parameters noted.
    private void Secret(ReadOnlySpan<byte> text, ReadOnlySpan<SqlToken> tokens, int start, int end)
    {
        var value = false;
        for (var k = start; k < end; k++)
        {
            var token = tokens[k];
            if (token.IsStringLiteral) value = true;
            if (token.Kind == SqlTokenKind.Parameter)
            {
                value = true;
                NoteParameter(text, token);
            }
        }

        if (value) _edits.Add(new RedactionEdit(tokens[start].Start, tokens[end - 1].End));
    }

    private void NoteParameter(ReadOnlySpan<byte> text, SqlToken token)
    {
        // The lexer's parameter is '$' and digits; a number past what a parameter list can hold is ignored.
        var n = 0;
        foreach (var digit in text[(token.Start + 1)..token.End])
        {
            n = (n * 10) + (digit - '0');
            if (n > 65535) return;
        }

        if (n >= _secretParameters.Length) Array.Resize(ref _secretParameters, Math.Max(n + 1, _secretParameters.Length * 2));
        _secretParameters[n] = true;
        AnySecretParameter = true;
    }

    // In order, merged where they touch or overlap; an unterminated rest swallows what lies in it.
    private void Normalize()
    {
        if (_edits.Count < 2) return;
        _edits.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var kept = 0;
        for (var k = 1; k < _edits.Count; k++)
        {
            var last = _edits[kept];
            var edit = _edits[k];
            if (edit.Start < last.End)
            {
                _edits[kept] = new RedactionEdit(last.Start, Math.Max(last.End, edit.End), last.Unterminated || edit.Unterminated);
            }
            else
            {
                _edits[++kept] = edit;
            }
        }

        _edits.RemoveRange(kept + 1, _edits.Count - kept - 1);
    }
}
