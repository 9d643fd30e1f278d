using System.Globalization;
using System.Text;
using System.Text.Json;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.IntegrationTests.Pipeline;

/// <summary>
/// Reads output records back into column → value maps (string, long, string[] or null), by the
/// documented formats rather than by the library's code.
/// </summary>
internal static class RecordDecoder
{
    /// <summary>NDJSON: one object per line; a missing key reads as absent (not as null).</summary>
    public static List<Dictionary<string, object?>> Json(string ndjson)
    {
        var records = new List<Dictionary<string, object?>>();
        foreach (var line in ndjson.Split('\n'))
        {
            if (line.Length == 0) continue;
            using var document = JsonDocument.Parse(line);
            var record = new Dictionary<string, object?>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                record.Add(property.Name, Value(property.Value));
            }

            records.Add(record);
        }

        return records;
    }

    /// <summary>
    /// CSV as AuditCsvWriter documents it: one line per record, columns in <see cref="AuditColumns.Csv"/> order,
    /// LazySimpleSerDe escaping (<c>\,</c> <c>\\</c>, <c>\N</c> = NULL) over C-escapes (<c>\\</c> <c>\n</c> <c>\r</c>).
    /// </summary>
    public static List<Dictionary<string, object?>> Csv(string text)
    {
        var records = new List<Dictionary<string, object?>>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            if (lines[n].Length == 0) continue;
            var fields = SerDeFields(lines[n]);
            if (fields.Count != AuditColumns.Csv.Count) throw new FormatException($"CSV line {n + 1} has {fields.Count} fields, expected {AuditColumns.Csv.Count}: {lines[n]}");
            var record = new Dictionary<string, object?>();
            for (var i = 0; i < fields.Count; i++)
            {
                var column = AuditColumns.Csv[i];
                var value = fields[i] is null ? null : CUnescape(fields[i]!);
                record.Add(column.Name, value is not null && column.AthenaType is "int" or "bigint" ? long.Parse(value, CultureInfo.InvariantCulture)
                    : value is not null && column.AthenaType == "boolean" ? bool.Parse(value) : value);
            }

            records.Add(record);
        }

        return records;
    }

    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
        JsonValueKind.Array => value.EnumerateArray().Select(v => v.GetString()!).ToArray(),
        _ => throw new FormatException($"unexpected JSON {value.ValueKind}: {value}"),
    };

    // Level 1, the SerDe: a backslash takes the next character literally; a field that is exactly \N is NULL.
    private static List<string?> SerDeFields(string line)
    {
        var fields = new List<string?>();
        var field = new StringBuilder();
        var raw = new StringBuilder();
        for (var i = 0; i <= line.Length; i++)
        {
            if (i == line.Length || line[i] == ',')
            {
                fields.Add(raw.ToString() == "\\N" ? null : field.ToString());
                field.Clear();
                raw.Clear();
                continue;
            }

            if (line[i] == '\\')
            {
                if (++i == line.Length) throw new FormatException($"a lone backslash ends the line: {line}");
                raw.Append('\\');
            }

            field.Append(line[i]);
            raw.Append(line[i]);
        }

        return fields;
    }

    // Level 2, the C-escapes the writer applies first: \\ \n \r.
    private static string CUnescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\')
            {
                text.Append(value[i]);
                continue;
            }

            text.Append(++i < value.Length ? value[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                'r' => '\r',
                var c => throw new FormatException($"unknown C-escape \\{c} in {value}"),
            } : throw new FormatException($"a lone backslash ends {value}"));
        }

        return text.ToString();
    }
}
