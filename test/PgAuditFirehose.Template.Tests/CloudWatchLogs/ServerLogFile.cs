using System.Text;

namespace PgAuditFirehose.Template.Tests.CloudWatchLogs;

/// <summary>Reads the two forms of a PostgreSQL server log the fixtures hold.</summary>
internal static class ServerLogFile
{
    /// <summary>
    /// The entries of a stderr-format log: a line and the lines after it that start with a tab
    /// (PostgreSQL writes a tab after every newline inside a message). CloudWatch Logs receives
    /// one event per entry.
    /// </summary>
    public static IReadOnlyList<string> StderrEntries(string path)
    {
        var entries = new List<StringBuilder>();
        foreach (var line in File.ReadAllText(path, Encoding.UTF8).Split('\n'))
        {
            if (line.StartsWith('\t') && entries.Count > 0)
            {
                entries[^1].Append('\n').Append(line);
            }
            else if (line.Length > 0)
            {
                entries.Add(new StringBuilder(line));
            }
        }

        return [.. entries.Select(e => e.ToString())];
    }

    /// <summary>The records of a csvlog file (RFC 4180: quoted fields, doubled quotes, newlines inside).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> CsvRecords(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var records = new List<IReadOnlyList<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add(fields);
                fields = [];
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields);
        }

        return records;
    }
}
