using System.Text;

namespace PgAuditFirehose.Tests.Support;

/// <summary>
/// How Athena reads a LazySimpleSerDe table <c>ESCAPED BY '\\'</c>, in both of its engines' flavours
/// (Hive maps escaped 'n'/'r' to line breaks, Trino's native reader keeps the letter), followed by the
/// README view's <c>regexp_replace</c> that undoes the C escapes.
/// </summary>
internal static class AthenaText
{
    public static List<string?> ReadRow(string line, bool hiveFlavour)
    {
        var fields = new List<string?>();
        var raw = new StringBuilder();
        for (var i = 0; i <= line.Length; i++)
        {
            if (i == line.Length || line[i] == ',')
            {
                fields.Add(Field(raw.ToString(), hiveFlavour));
                raw.Clear();
                continue;
            }

            raw.Append(line[i]);
            if (line[i] == '\\' && i + 1 < line.Length) raw.Append(line[++i]);
        }

        return fields;
    }

    /// <summary>The view: <c>regexp_replace(col, '\\(.)', x -> CASE x[1] WHEN 'n' THEN chr(10) WHEN 'r' THEN chr(13) ELSE x[1] END)</c>.</summary>
    public static string? View(string? value)
    {
        if (value is null) return null;
        var result = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 == value.Length)
            {
                result.Append(value[i]);
                continue;
            }

            var next = value[++i];
            result.Append(next switch { 'n' => '\n', 'r' => '\r', _ => next });
        }

        return result.ToString();
    }

    private static string? Field(string raw, bool hiveFlavour)
    {
        // Both engines compare the raw bytes with the NULL sequence before unescaping.
        if (raw == "\\N") return null;
        var value = new StringBuilder();
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\' || i + 1 == raw.Length)
            {
                value.Append(raw[i]);
                continue;
            }

            var next = raw[++i];
            value.Append(hiveFlavour && next == 'n' ? '\n' : hiveFlavour && next == 'r' ? '\r' : next);
        }

        return value.ToString();
    }
}
