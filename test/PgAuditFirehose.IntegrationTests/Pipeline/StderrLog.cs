using System.Text;

namespace PgAuditFirehose.IntegrationTests.Pipeline;

/// <summary>One log entry of a stderr log as a CloudWatch Logs event: its id, time and text.</summary>
internal sealed record LogEntry(int Index, string EventId, long Timestamp, string Message);

/// <summary>Cuts a stderr log into entries the way the RDS log agent hands them to CloudWatch Logs (our own cutter, not the library's).</summary>
internal static class StderrLog
{
    /// <summary>Epoch milliseconds of the first event; each next event is one millisecond later.</summary>
    public const long FirstEventTimestamp = 1_764_000_000_000;

    /// <summary>A newline followed by a tab continues the entry; any other newline ends it. Only '\n' counts.</summary>
    public static List<LogEntry> Entries(byte[] log)
    {
        var text = Encoding.UTF8.GetString(log);
        var entries = new List<LogEntry>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var end = i == text.Length || (text[i] == '\n' && (i + 1 == text.Length || text[i + 1] != '\t'));
            if (!end) continue;
            if (i > start)
            {
                var timestamp = FirstEventTimestamp + entries.Count;
                entries.Add(new LogEntry(entries.Count, $"{timestamp:D20}{entries.Count:D36}", timestamp, text[start..i]));
            }

            start = i + 1;
        }

        return entries;
    }
}
