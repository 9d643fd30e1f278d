using System.Globalization;

namespace PgAuditFirehose.IntegrationTests.GroundTruth;

/// <summary>
/// One csvlog row (PostgreSQL 15 column order). The csvlog carries the same message as the stderr log,
/// without the prefix framing and without the tab after each newline: the ground truth.
/// </summary>
internal sealed class CsvLogRow(List<string?> fields, int lineNumber)
{
    private const int LogTimeColumn = 0, UserNameColumn = 1, DatabaseNameColumn = 2, ProcessIdColumn = 3, ConnectionFromColumn = 4,
        SessionIdColumn = 5, SessionLineColumn = 6, SessionStartColumn = 8, SeverityColumn = 11, SqlStateColumn = 12, MessageColumn = 13,
        DetailColumn = 14, HintColumn = 15, InternalQueryPositionColumn = 17, ContextColumn = 18, QueryColumn = 19, QueryPositionColumn = 20,
        LocationColumn = 21, ApplicationNameColumn = 22;

    private static readonly string[] AuditSeverities = ["LOG", "NOTICE", "WARNING", "INFO", "DEBUG"];

    /// <summary>Line of the csvlog file where the row starts, for reports.</summary>
    public int LineNumber { get; } = lineNumber;

    public string LogTime => fields[LogTimeColumn]!;
    public string? UserName => fields[UserNameColumn];
    public string? DatabaseName => fields[DatabaseNameColumn];
    public long ProcessId => long.Parse(fields[ProcessIdColumn]!, CultureInfo.InvariantCulture);
    public string? ConnectionFrom => fields[ConnectionFromColumn];
    public string SessionId => fields[SessionIdColumn]!;
    public string SessionLine => fields[SessionLineColumn]!;
    public string Severity => fields[SeverityColumn]!;
    public string SqlState => fields[SqlStateColumn] ?? "";
    public string Message => fields[MessageColumn] ?? "";
    public string? SessionStart => fields[SessionStartColumn];
    public string? Detail => NullIfEmpty(DetailColumn);
    public string? Hint => NullIfEmpty(HintColumn);
    public string? InternalQueryPosition => NullIfEmpty(InternalQueryPositionColumn);
    public string? Context => NullIfEmpty(ContextColumn);
    public string? Query => NullIfEmpty(QueryColumn);
    public string? QueryPosition => NullIfEmpty(QueryPositionColumn);
    public string? Location => NullIfEmpty(LocationColumn);
    public string? ApplicationName => NullIfEmpty(ApplicationNameColumn);

    private string? NullIfEmpty(int column) => fields.Count > column && !string.IsNullOrEmpty(fields[column]) ? fields[column] : null;

    /// <summary>A pgAudit line: an audit severity and a message that starts with <c>AUDIT: </c>.</summary>
    public bool IsAudit => AuditSeverities.Contains(Severity) && Message.StartsWith("AUDIT: ", StringComparison.Ordinal);

    public string Label => $"csvlog line {LineNumber} (session {SessionId} line {SessionLine}, pid {ProcessId})";

    public static List<CsvLogRow> ReadAll(string csv)
    {
        var rows = new List<CsvLogRow>();
        var line = 1;
        foreach (var record in Rfc4180.ReadRecords(csv))
        {
            if (record.Count < 14) throw new FormatException($"csvlog line {line} has {record.Count} columns");
            rows.Add(new CsvLogRow(record, line));
            line += record.Sum(f => f?.Count(c => c == '\n') ?? 0) + 1;
        }

        return rows;
    }
}
