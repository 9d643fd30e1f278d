namespace PgAuditFirehose.PgAudit;

/// <summary>
/// Reads pgAudit's CSV: a field is quoted only when it holds <c>,</c> <c>"</c> <c>\n</c> or <c>\r</c>,
/// and a <c>"</c> inside is doubled.
/// </summary>
internal static class AuditCsv
{
    /// <summary>
    /// Reads the field starting at <paramref name="position"/>, which then points past its comma, or is -1
    /// after the last field. Quoted fields are unquoted into <paramref name="scratch"/>; with
    /// <paramref name="removeContinuationTabs"/> the tab PostgreSQL's stderr log writes after each newline goes too.
    /// </summary>
    public static bool TryReadField(
        ReadOnlySpan<byte> text,
        scoped ref int position,
        Span<byte> scratch,
        scoped ref int scratchUsed,
        bool removeContinuationTabs,
        out ReadOnlySpan<byte> value)
    {
        var rest = text[position..];
        if (rest.IsEmpty || rest[0] != (byte)'"')
        {
            var comma = rest.IndexOf((byte)',');
            value = comma < 0 ? rest : rest[..comma];
            position = comma < 0 ? -1 : position + comma + 1;
            return true;
        }

        var destination = scratch[scratchUsed..];
        var written = 0;
        var i = 1;
        while (true)
        {
            // Copy runs of plain bytes at once; only quotes and newlines need a look.
            var special = rest[i..].IndexOfAny((byte)'"', (byte)'\n');
            if (special < 0)
            {
                value = default;
                return false;
            }

            rest.Slice(i, special).CopyTo(destination[written..]);
            written += special;
            i += special;
            if (rest[i] == (byte)'\n')
            {
                destination[written++] = (byte)'\n';
                i += removeContinuationTabs && i + 1 < rest.Length && rest[i + 1] == (byte)'\t' ? 2 : 1;
                continue;
            }

            if (i + 1 < rest.Length && rest[i + 1] == (byte)'"')
            {
                destination[written++] = (byte)'"';
                i += 2;
                continue;
            }

            break;
        }

        value = destination[..written];
        scratchUsed += written;
        var after = i + 1;
        if (after == rest.Length)
        {
            position = -1;
            return true;
        }

        if (rest[after] != (byte)',')
        {
            return false;
        }

        position += after + 1;
        return true;
    }
}
