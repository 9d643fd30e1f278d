using System.Text;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.LogFiles;

/// <summary>
/// Tells a PostgreSQL stderr log from other files by its first bytes: it is one when at least half of
/// its first entries read <c>PREFIX SEVERITY:  message</c> (and, given a prefix, the prefix matches).
/// A file that fails this gives a reason a user can act on instead of a stream of unparsable records.
/// </summary>
public static class LogFileFormat
{
    /// <summary>How much of a file <see cref="Check"/> wants to see.</summary>
    public const int HeadLength = 256 * 1024;

    /// <summary>How many entries of the head are examined at most.</summary>
    public const int MaxEntriesExamined = 1000;

    private static readonly byte[][] Severities =
    [
        "LOG"u8.ToArray(), "ERROR"u8.ToArray(), "FATAL"u8.ToArray(), "PANIC"u8.ToArray(), "WARNING"u8.ToArray(),
        "NOTICE"u8.ToArray(), "INFO"u8.ToArray(), "DEBUG"u8.ToArray(), "STATEMENT"u8.ToArray(), "DETAIL"u8.ToArray(),
        "HINT"u8.ToArray(), "CONTEXT"u8.ToArray(), "LOCATION"u8.ToArray(), "QUERY"u8.ToArray(),
    ];

    /// <summary>
    /// Null when <paramref name="head"/> (the first <see cref="HeadLength"/> bytes, or the whole file) looks like
    /// a stderr log, else why not. An empty file is a log with no entries. With <paramref name="prefix"/> null
    /// any prefix is accepted.
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> head, LogLinePrefix? prefix)
    {
        if (head.IsEmpty) return null;
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b) return "it is gzip-compressed; decompress it first (zcat FILE | ...)";
        var nul = head.IndexOf((byte)0);
        if (nul >= 0) return $"it is a binary file, not a PostgreSQL stderr log (a NUL byte at offset {nul})";

        var examined = 0;
        var withSeverity = 0;
        var matching = 0;
        scoped ReadOnlySpan<byte> first = default;
        while (examined < MaxEntriesExamined && LogEntries.TryTake(ref head, out var entry))
        {
            examined++;
            var line = FirstLine(entry);
            if (first.IsEmpty) first = line;
            if (!TrySplitSeverity(line, out var beforeSeverity)) continue;
            withSeverity++;
            if (prefix is null || Matches(prefix, beforeSeverity)) matching++;
        }

        // Most entries, not one: a csvlog field or a quoted statement can hold a line that looks like a log entry.
        if (examined == 0 || (matching > 0 && matching * 2 >= examined)) return null;
        var sample = Quote(first);
        if (LooksLikeCsvlog(first)) return $"it looks like a csvlog file (log_destination=csvlog), not the stderr log; use postgresql.log, not postgresql.csv (first line {sample})";
        if (first.StartsWith("{\"timestamp\":"u8)) return $"it looks like a jsonlog file (log_destination=jsonlog), not the stderr log (first line {sample})";
        if (withSeverity * 2 >= examined)
        {
            return $"only {matching} of its first {examined} log entries match log_line_prefix '{prefix!.Format}'; " +
                $"use the server's log_line_prefix (first line {sample})";
        }

        return $"it is not a PostgreSQL stderr log: only {withSeverity} of its first {examined} entries have a severity such as 'LOG:  ' or 'ERROR:  ' (first line {sample})";
    }

    private static bool Matches(LogLinePrefix prefix, ReadOnlySpan<byte> text)
    {
        var fields = default(PrefixFields);
        return prefix.TryMatch(text, ref fields);
    }

    // "PREFIX SEVERITY:  ": the first double-spaced colon, preceded by a known severity word.
    private static bool TrySplitSeverity(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> beforeSeverity)
    {
        beforeSeverity = default;
        var at = line.IndexOf(":  "u8);
        if (at < 0) return false;
        var head = line[..at];
        foreach (var severity in Severities)
        {
            if (!head.EndsWith(severity)) continue;
            beforeSeverity = head[..^severity.Length];
            return true;
        }

        return false;
    }

    private static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> entry)
    {
        var newline = entry.IndexOf((byte)'\n');
        return newline < 0 ? entry : entry[..newline];
    }

    // csvlog rows start with "YYYY-MM-DD HH:MM:SS.mmm ZONE,".
    private static bool LooksLikeCsvlog(ReadOnlySpan<byte> line)
    {
        var length = PrefixShapes.MeasureTimestamp(line, millis: true);
        return length > 0 && length < line.Length && line[length] == (byte)',';
    }

    private static string Quote(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line[..Math.Min(line.Length, 120)]);
        return "'" + text + (line.Length > 120 ? "...'" : "'");
    }
}
