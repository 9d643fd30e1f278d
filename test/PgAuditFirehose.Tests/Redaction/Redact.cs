using System.Text;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Redaction;

namespace PgAuditFirehose.Tests.Redaction;

/// <summary>The redactor over one statement (and optionally its parameter list), as the writers see the line after it.</summary>
internal static class Redact
{
    public static (string Statement, bool Redacted) Statement(string statement)
    {
        var line = new AuditLine { HasAuditFields = true, Statement = Encoding.UTF8.GetBytes(statement), Parameter = "<not logged>"u8 };
        new LineRedactor().Redact(ref line);
        return (Encoding.UTF8.GetString(line.Statement), line.Redacted);
    }

    /// <summary>Parses a whole log line (RDS default prefix) and redacts it: the statement, the PARAMETER text and the values.</summary>
    public static (string? Statement, string? Parameter, string[]? Values, string? RawMessage, bool Redacted) Line(string entry)
    {
        var parser = new AuditLineParser(LogLinePrefix.Parse(LogLinePrefix.RdsDefault));
        if (!parser.TryParse(Encoding.UTF8.GetBytes(entry), out var line)) throw new InvalidOperationException($"not an audit line: {entry}");
        new LineRedactor().Redact(ref line);
        string[]? values = null;
        if (line.HasParameterList)
        {
            var list = new List<string>();
            var start = 0;
            foreach (var end in line.ParameterEnds)
            {
                list.Add(Encoding.UTF8.GetString(line.ParameterValues[start..end]));
                start = end;
            }

            values = [.. list];
        }

        return (Text(line.Statement), Text(line.Parameter), values, Text(line.RawMessage), line.Redacted);
    }

    private static string? Text(ReadOnlySpan<byte> span) => span.IsEmpty ? null : Encoding.UTF8.GetString(span);
}
