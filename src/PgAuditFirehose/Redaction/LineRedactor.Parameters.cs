using System.Text;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Redaction;

/// <summary>The parameter list, and the JSON-escaped statement.</summary>
internal sealed partial class LineRedactor
{
    // A value is secret whole when its $n stood in a secret's place in the statement; else its connection
    // strings' passwords go. The list and PARAMETER (pgAudit's CSV of it) are rebuilt only when one changed.
    private bool RedactParameters(ref AuditLine line)
    {
        var count = line.ParameterEnds.Length;
        if (_parameterEnds.Length < count) _parameterEnds = new int[count * 2];
        var values = line.ParameterValues;
        var room = values.Length + (count * UnterminatedReplacement.Length);
        var d = Take(room);
        int n = 0, from = 0;
        var changed = false;
        for (var i = 0; i < count; i++)
        {
            var value = values[from..line.ParameterEnds[i]];
            from = line.ParameterEnds[i];
            ReadOnlySpan<byte> written = value;
            if (_finder.IsSecretParameter(i + 1))
            {
                written = Replacement;
                _known.Add(value);
            }
            else if (SecretTriggers.Hit(value, _widened, sql: false) && _finder.FindInConnectionText(value))
            {
                foreach (var edit in _finder.Edits) _known.Add(value[edit.Start..edit.End]);
                written = Apply(value, _finder.Edits);
            }

            changed |= written != value;
            if (n + written.Length > d.Length)
            {
                var bigger = new byte[(n + written.Length) * 2];
                d[..n].CopyTo(bigger);
                d = bigger;
            }

            written.CopyTo(d[n..]);
            n += written.Length;
            _parameterEnds[i] = n;
        }

        if (!changed) return false;
        line.ParameterValues = d[..n];
        line.ParameterEnds = _parameterEnds.AsSpan(0, count);
        line.Parameter = ParameterCsv(line.ParameterValues, line.ParameterEnds);
        return true;
    }

    // pgAudit's PARAMETER text: the values comma-separated, quoted ("" doubled) when they hold a quote, comma or line break.
    private ReadOnlySpan<byte> ParameterCsv(ReadOnlySpan<byte> values, ReadOnlySpan<int> ends)
    {
        var d = Take((2 * values.Length) + (3 * ends.Length));
        int n = 0, from = 0;
        for (var i = 0; i < ends.Length; i++)
        {
            if (i > 0) d[n++] = (byte)',';
            var value = values[from..ends[i]];
            from = ends[i];
            if (value.IndexOfAny("\",\r\n"u8) < 0)
            {
                value.CopyTo(d[n..]);
                n += value.Length;
                continue;
            }

            d[n++] = (byte)'"';
            foreach (var b in value)
            {
                if (b == '"') d[n++] = b;
                d[n++] = b;
            }

            d[n++] = (byte)'"';
        }

        return d[..n];
    }

    // A statement taken still JSON-escaped (AuditLine.StatementEscaped), as the text it stands for.
    private ReadOnlySpan<byte> JsonUnescaped(ReadOnlySpan<byte> escaped)
    {
        var d = Take(escaped.Length + 64);
        int i = 0, n = 0;
        while (i < escaped.Length)
        {
            n += JsonText.Unescape(escaped[i..], d[n..], out var read);
            i += read;
            if (i >= escaped.Length) break;
            if (escaped[i] == '\\' && i + 5 < escaped.Length && escaped[i + 1] == 'u'
                && int.TryParse(Encoding.ASCII.GetString(escaped.Slice(i + 2, 4)), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var unit)
                && Rune.TryCreate((char)unit, out var rune))
            {
                n += rune.EncodeToUtf8(d[n..]);
                i += 6;
            }
            else
            {
                // A surrogate escape or anything else the JSON should not hold: kept as it stands, for the lexer.
                d[n++] = escaped[i++];
            }
        }

        return d[..n];
    }
}
