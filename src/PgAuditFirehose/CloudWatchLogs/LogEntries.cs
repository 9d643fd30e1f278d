using System.Runtime.CompilerServices;

namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>
/// Cuts message text into PostgreSQL log entries. The stderr log writes a tab after every newline
/// inside an entry, so a newline not followed by a tab starts the next entry.
/// </summary>
internal static class LogEntries
{
    /// <summary>Takes the next non-empty entry off the front of <paramref name="text"/>.</summary>
    public static bool TryTake(ref ReadOnlySpan<byte> text, out ReadOnlySpan<byte> entry) => TryTake(ref text, lineBreakFree: false, out entry);

    /// <summary>The same; <paramref name="lineBreakFree"/>: the text is known to hold no line break (a JSON string written without escapes), so it is one entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryTake(ref ReadOnlySpan<byte> text, bool lineBreakFree, out ReadOnlySpan<byte> entry)
    {
        while (!text.IsEmpty)
        {
            var end = lineBreakFree ? text.Length : EntryEnd(text);
            entry = text[..end];
            while (!entry.IsEmpty && entry[^1] == (byte)'\r') entry = entry[..^1];
            text = end < text.Length ? text[(end + 1)..] : default;
            if (!entry.IsEmpty) return true;
        }

        entry = default;
        return false;
    }

    private static int EntryEnd(ReadOnlySpan<byte> text)
    {
        var from = 0;
        while (true)
        {
            var newline = text[from..].IndexOf((byte)'\n');
            if (newline < 0) return text.Length;
            var at = from + newline;
            if (at + 1 >= text.Length || text[at + 1] != (byte)'\t') return at;
            from = at + 1;
        }
    }
}
