using System.Text;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Tests.Support;

/// <summary>A managed copy of an <see cref="AuditLine"/>, so tests can hold and compare it.</summary>
internal sealed record ParsedLine(
    string? LogTime, string? RemoteHost, int? RemotePort, string? User, string? Database, int? ProcessId, string Severity,
    bool HasAuditFields, string? AuditType, long StatementId, long SubstatementId, string? Class, string? Command,
    string? ObjectType, string? ObjectName, string? Statement, string? Parameter, IReadOnlyList<string>? Parameters, long? Rows,
    string? ParseError, string? RawMessage)
{
    /// <summary>Parses <paramref name="entry"/>; null when it is not an audit line.</summary>
    public static ParsedLine? Parse(string entry, string prefix = LogLinePrefix.RdsDefault) => Parse(new AuditLineParser(LogLinePrefix.Parse(prefix)), entry);

    /// <summary>Parses <paramref name="entry"/> as written by a server whose log_timezone is <paramref name="timeZone"/>.</summary>
    public static ParsedLine? ParseIn(string timeZone, string entry, string prefix = LogLinePrefix.RdsDefault) =>
        Parse(new AuditLineParser(LogLinePrefix.Parse(prefix), LogTimeZone.Parse(timeZone)), entry);

    /// <summary>Parses <paramref name="entry"/> with a parser that may have read other lines before.</summary>
    public static ParsedLine? Parse(AuditLineParser parser, string entry)
    {
        var bytes = Encoding.UTF8.GetBytes(entry);
        if (!parser.TryParse(bytes, out var line)) return null;
        List<string>? parameters = null;
        if (line.HasParameterList)
        {
            parameters = [];
            var start = 0;
            foreach (var end in line.ParameterEnds)
            {
                parameters.Add(Encoding.UTF8.GetString(line.ParameterValues[start..end]));
                start = end;
            }
        }

        return new ParsedLine(
            Text(line.LogTime), Text(line.Prefix.RemoteHost), line.Prefix.RemotePort, Text(line.Prefix.User), Text(line.Prefix.Database),
            line.Prefix.ProcessId, Encoding.UTF8.GetString(line.Severity), line.HasAuditFields,
            line.HasAuditFields ? Encoding.UTF8.GetString(line.AuditType) : null, line.StatementId, line.SubstatementId,
            line.HasAuditFields ? Encoding.UTF8.GetString(line.Class) : null, line.HasAuditFields ? Encoding.UTF8.GetString(line.Command) : null,
            Text(line.ObjectType), Text(line.ObjectName),
            line.HasAuditFields ? Encoding.UTF8.GetString(line.Statement) : null, line.HasAuditFields ? Encoding.UTF8.GetString(line.Parameter) : null,
            parameters, line.Rows, line.ParseError, Text(line.RawMessage));
    }

    public static ParsedLine ParseAudit(string entry, string prefix = LogLinePrefix.RdsDefault) =>
        Parse(entry, prefix) ?? throw new InvalidOperationException($"not recognised as an audit line: {entry}");

    private static string? Text(ReadOnlySpan<byte> span) => span.IsEmpty ? null : Encoding.UTF8.GetString(span);
}
