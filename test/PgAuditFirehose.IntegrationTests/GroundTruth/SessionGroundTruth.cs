using System.Globalization;
using System.Text.RegularExpressions;
using PgAuditFirehose.IntegrationTests.Pipeline;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.IntegrationTests.GroundTruth;

/// <summary>A csvlog row that must become a server log record, and the stderr log entry that carries it.</summary>
internal sealed record ServerLine(CsvLogRow Row, LogEntry Entry, string RecordType);

/// <summary>
/// The csvlog rows that must become CONNECTION, DISCONNECTION, LOGIN_FAILURE or ERROR records, worked out
/// without the library: the type from the severity, the SQLSTATE (28000, 28P01, 3D000 and 42501 refuse a
/// login at FATAL) and the message's first words; each paired with its stderr entry like the audit lines.
/// </summary>
internal static partial class SessionGroundTruth
{
    private static readonly string[] LoginStates = ["28000", "28P01", "3D000", "42501"];

    public static List<ServerLine> Build(string csvLog, IReadOnlyList<LogEntry> entries, out List<string> unmatched)
    {
        var rows = CsvLogRow.ReadAll(csvLog);
        var lines = new List<ServerLine>();
        unmatched = [];
        var claimed = new bool[entries.Count];
        var nextByProcess = new Dictionary<long, int>();
        foreach (var row in rows)
        {
            if (TypeOf(row) is not { } type) continue;
            var from = nextByProcess.GetValueOrDefault(row.ProcessId);
            var at = -1;
            for (var i = from; i < entries.Count && at < 0; i++)
            {
                if (!claimed[i] && Carries(entries[i], row)) at = i;
            }

            if (at < 0)
            {
                unmatched.Add(row.Label);
                continue;
            }

            claimed[at] = true;
            nextByProcess[row.ProcessId] = at + 1;
            lines.Add(new ServerLine(row, entries[at], type));
        }

        return lines;
    }

    /// <summary>The record every column must equal; <paramref name="rows"/> (the whole csvlog) gives a session's application_name.</summary>
    public static Dictionary<string, object?> Expected(ServerLine line, IReadOnlyList<CsvLogRow> rows, RecordSource source)
    {
        var row = line.Row;
        var (host, port) = ExpectedRecord.SplitConnection(row.ConnectionFrom);
        var expected = AuditColumns.All.ToDictionary(c => c.Name, _ => (object?)null);
        expected[AuditColumns.LogTime.Name] = ExpectedRecord.IsoTime(row.LogTime, milliseconds: false);
        expected[AuditColumns.RemoteHost.Name] = host;
        expected[AuditColumns.RemotePort.Name] = port;
        expected[AuditColumns.UserName.Name] = row.UserName;
        expected[AuditColumns.DatabaseName.Name] = row.DatabaseName;
        expected[AuditColumns.ProcessId.Name] = row.ProcessId;
        expected[AuditColumns.Severity.Name] = row.Severity;
        expected[AuditColumns.LogGroup.Name] = source.LogGroup;
        expected[AuditColumns.LogStream.Name] = source.LogStream;
        expected[AuditColumns.AccountId.Name] = source.AccountId;
        expected[AuditColumns.DbIdentifier.Name] = source.DbIdentifier;
        expected[AuditColumns.LogEventId.Name] = source.EventId;
        expected[AuditColumns.LogEventTimestamp.Name] = source.EventTimestamp;
        expected[AuditColumns.RecordType.Name] = line.RecordType;
        expected[AuditColumns.Message.Name] = row.Message + Position(row);
        // Verbose mode writes the SQLSTATE in the stderr log; the csvlog shows it always, and a location only in verbose mode.
        expected[AuditColumns.SqlState.Name] = row.Location is null ? null : row.SqlState;
        if (line.RecordType is "ERROR" or "LOGIN_FAILURE")
        {
            expected[AuditColumns.Detail.Name] = row.Detail;
            expected[AuditColumns.Hint.Name] = row.Hint;
            expected[AuditColumns.Context.Name] = row.Context;
            expected[AuditColumns.Statement.Name] = row.Query;
        }

        if (line.RecordType == "CONNECTION")
        {
            // At 'connection authorized' the csvlog has no application_name yet; the session's later rows have it.
            expected[AuditColumns.ApplicationName.Name] = rows.LastOrDefault(r => r.SessionId == row.SessionId && r.ApplicationName is not null)?.ApplicationName
                ?? Unknown;
        }

        if (line.RecordType == "DISCONNECTION") expected[AuditColumns.SessionDurationMs.Name] = SessionMilliseconds(row);
        return expected;
    }

    /// <summary>Stands for a value the csvlog does not know (a session that ended before any row named its application).</summary>
    public static readonly object Unknown = new();

    /// <summary>The session time the csvlog's message states, checked against its session start and log time.</summary>
    public static long SessionMilliseconds(CsvLogRow row)
    {
        var match = SessionTime().Match(row.Message);
        if (!match.Success) throw new FormatException($"{row.Label}: no session time in '{row.Message}'");
        var stated = (((long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)) * 60
            + int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture)) * 1000 + int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture);
        var start = DateTime.ParseExact(row.SessionStart![..^4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var end = DateTime.ParseExact(row.LogTime[..^4], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var measured = (end - start).TotalMilliseconds;
        if (stated > measured + 50 || stated < measured - 1050) throw new FormatException($"{row.Label}: session time {stated} ms, csvlog start to end {measured} ms");
        return stated;
    }

    private static string? TypeOf(CsvLogRow row) => row.Severity switch
    {
        "FATAL" when LoginStates.Contains(row.SqlState) => "LOGIN_FAILURE",
        "ERROR" or "FATAL" or "PANIC" => "ERROR",
        "LOG" when row.Message.StartsWith("connection authorized: ", StringComparison.Ordinal)
            || row.Message.StartsWith("replication connection authorized: ", StringComparison.Ordinal) => "CONNECTION",
        "LOG" when row.Message.StartsWith("disconnection: session time: ", StringComparison.Ordinal) => "DISCONNECTION",
        _ => null,
    };

    // elog.c appends " at character N" to the stderr message: the statement's position, else the internal query's.
    private static string Position(CsvLogRow row) =>
        row.QueryPosition is { } p ? $" at character {p}" : row.InternalQueryPosition is { } i ? $" at character {i}" : "";

    private static bool Carries(LogEntry entry, CsvLogRow row)
    {
        var message = (row.Message + Position(row)).Replace("\n", "\n\t", StringComparison.Ordinal);
        var line = entry.Message.Split('\n')[0];
        return line.Contains($":[{row.ProcessId}]:", StringComparison.Ordinal)
            && (entry.Message.EndsWith($"]:{row.Severity}:  {message}", StringComparison.Ordinal)
                || entry.Message.EndsWith($"]:{row.Severity}:  {row.SqlState}: {message}", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^disconnection: session time: (\d+):(\d\d):(\d\d)\.(\d\d\d) ")]
    private static partial Regex SessionTime();
}
