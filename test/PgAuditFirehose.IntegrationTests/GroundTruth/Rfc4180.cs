using System.Text;

namespace PgAuditFirehose.IntegrationTests.GroundTruth;

/// <summary>
/// A small RFC 4180 reader, written for these tests and independent of the library: fields separated by
/// commas, quoted fields with doubled quotes, records ended by a newline outside quotes. A field that
/// was neither quoted nor non-empty comes back null (csvlog writes NULL that way, and "" for empty text).
/// </summary>
internal static class Rfc4180
{
    public static List<List<string?>> ReadRecords(string text)
    {
        var records = new List<List<string?>>();
        var position = 0;
        while (position < text.Length)
        {
            records.Add(ReadRecord(text, ref position, stopAtNewline: true));
        }

        return records;
    }

    /// <summary>One record that is the whole of <paramref name="text"/>; a newline outside quotes is an error.</summary>
    public static List<string?> ReadSingleRecord(string text)
    {
        var position = 0;
        var record = ReadRecord(text, ref position, stopAtNewline: false);
        if (position != text.Length) throw new FormatException($"trailing text at {position} in <{text}>");
        return record;
    }

    private static List<string?> ReadRecord(string text, ref int position, bool stopAtNewline)
    {
        var fields = new List<string?>();
        while (true)
        {
            fields.Add(ReadField(text, ref position));
            if (position == text.Length) return fields;
            var separator = text[position++];
            if (separator == ',')
            {
                if (position == text.Length)
                {
                    // "a," ends with an empty last field.
                    fields.Add(null);
                    return fields;
                }

                continue;
            }

            if (separator == '\n' && stopAtNewline) return fields;
            throw new FormatException($"unexpected '{separator}' after a field at {position - 1}");
        }
    }

    private static string? ReadField(string text, ref int position)
    {
        if (position < text.Length && text[position] == '"')
        {
            var value = new StringBuilder();
            position++;
            while (true)
            {
                if (position >= text.Length) throw new FormatException("unterminated quoted field");
                var c = text[position++];
                if (c != '"')
                {
                    value.Append(c);
                    continue;
                }

                if (position < text.Length && text[position] == '"')
                {
                    value.Append('"');
                    position++;
                    continue;
                }

                return value.ToString();
            }
        }

        var start = position;
        while (position < text.Length && text[position] is not (',' or '\n')) position++;
        if (text.AsSpan(start, position - start).Contains('"')) throw new FormatException($"a quote inside an unquoted field at {start}");
        return position == start ? null : text[start..position];
    }
}
