using PgAuditFirehose.IntegrationTests.Pipeline;

namespace PgAuditFirehose.IntegrationTests.GroundTruth;

/// <summary>A csvlog audit row and the stderr log entry that carries the same line.</summary>
internal sealed record AuditLine(CsvLogRow Row, LogEntry Entry);

/// <summary>
/// Pairs every audit row of the csvlog with its entry in the stderr log of the same run: the entry must
/// end with the row's severity and message (tabs after newlines, as the stderr log writes them; the
/// SQLSTATE first in verbose mode) and name the row's process id. Each process logs in order in both files.
/// </summary>
internal sealed class AuditGroundTruth
{
    private AuditGroundTruth(List<AuditLine> lines, int csvRows, List<string> unmatched)
    {
        Lines = lines;
        CsvRows = csvRows;
        Unmatched = unmatched;
    }

    /// <summary>The audit lines in stderr log order.</summary>
    public IReadOnlyList<AuditLine> Lines { get; }

    public int CsvRows { get; }

    /// <summary>csvlog audit rows for which no stderr entry was found (must be none).</summary>
    public IReadOnlyList<string> Unmatched { get; }

    public static AuditGroundTruth Build(string csvLog, IReadOnlyList<LogEntry> entries)
    {
        var rows = CsvLogRow.ReadAll(csvLog);
        var lines = new List<AuditLine>();
        var unmatched = new List<string>();
        var claimed = new bool[entries.Count];
        var nextByProcess = new Dictionary<long, int>();
        foreach (var row in rows.Where(r => r.IsAudit))
        {
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
            lines.Add(new AuditLine(row, entries[at]));
        }

        lines.Sort((a, b) => a.Entry.Index.CompareTo(b.Entry.Index));
        return new AuditGroundTruth(lines, rows.Count, unmatched);
    }

    private static bool Carries(LogEntry entry, CsvLogRow row)
    {
        var message = row.Message.Replace("\n", "\n\t", StringComparison.Ordinal);
        return entry.Message.Contains($"[{row.ProcessId}]", StringComparison.Ordinal)
            && (entry.Message.EndsWith($"{row.Severity}:  {message}", StringComparison.Ordinal)
                || entry.Message.EndsWith($"{row.Severity}:  {row.SqlState}: {message}", StringComparison.Ordinal));
    }
}
