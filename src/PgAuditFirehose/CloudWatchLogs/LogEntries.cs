using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    // Where the first newline not followed by a tab is (the text's length if none): a multi-line
    // statement has a newline and tab on every line, so each block is looked at for both at once, a
    // newline's mask against the next byte's tab mask, rather than a search that stops at each newline.
    internal static int EntryEnd(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var at = ref MemoryMarshal.GetReference(text);
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= text.Length - Vector256<byte>.Count - 1; i += Vector256<byte>.Count)
                {
                    var ends = Vector256.Equals(Vector256.LoadUnsafe(ref at, (nuint)i), Vector256.Create((byte)'\n'))
                        & ~Vector256.Equals(Vector256.LoadUnsafe(ref at, (nuint)(i + 1)), Vector256.Create((byte)'\t'));
                    var bits = ends.ExtractMostSignificantBits();
                    if (bits != 0) return i + BitOperations.TrailingZeroCount(bits);
                }
            }

            for (; i <= text.Length - Vector128<byte>.Count - 1; i += Vector128<byte>.Count)
            {
                var ends = Vector128.Equals(Vector128.LoadUnsafe(ref at, (nuint)i), Vector128.Create((byte)'\n'))
                    & ~Vector128.Equals(Vector128.LoadUnsafe(ref at, (nuint)(i + 1)), Vector128.Create((byte)'\t'));
                var bits = ends.ExtractMostSignificantBits();
                if (bits != 0) return i + BitOperations.TrailingZeroCount(bits);
            }
        }

        // The rest (and all of it without vectors), a newline at a time.
        while (true)
        {
            var newline = text[i..].IndexOf((byte)'\n');
            if (newline < 0) return text.Length;
            var end = i + newline;
            if (end + 1 >= text.Length || text[end + 1] != (byte)'\t') return end;
            i = end + 1;
        }
    }
}
