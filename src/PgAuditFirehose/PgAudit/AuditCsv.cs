using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PgAuditFirehose.PgAudit;

/// <summary>
/// Reads pgAudit's CSV: a field is quoted only when it holds <c>,</c> <c>"</c> <c>\n</c> or <c>\r</c>,
/// and a <c>"</c> inside is doubled.
/// </summary>
internal static class AuditCsv
{
    /// <summary>
    /// Reads the field starting at <paramref name="position"/>, which then points past its comma, or is -1
    /// after the last field. Quoted fields are unquoted into <paramref name="scratch"/>; with
    /// <paramref name="removeContinuationTabs"/> the tab PostgreSQL's stderr log writes after each newline goes too.
    /// </summary>
    public static bool TryReadField(
        ReadOnlySpan<byte> text,
        scoped ref int position,
        Span<byte> scratch,
        scoped ref int scratchUsed,
        bool removeContinuationTabs,
        out ReadOnlySpan<byte> value)
    {
        var rest = text[position..];
        if (rest.IsEmpty || rest[0] != (byte)'"')
        {
            var comma = IndexOfComma(rest);
            value = comma < 0 ? rest : rest[..comma];
            position = comma < 0 ? -1 : position + comma + 1;
            return true;
        }

        var destination = scratch[scratchUsed..];
        var written = 0;
        var i = 1;
        if (destination.Length >= rest.Length && Vector128.IsHardwareAccelerated)
        {
            // Blocks of 16 copied first and looked at after; the quotes and newlines one block shows are
            // settled without looking at it again.
            ref var from = ref MemoryMarshal.GetReference(rest);
            ref var to = ref MemoryMarshal.GetReference(destination);
            var lastBlock = rest.Length - Vector128<byte>.Count;
            while (i <= lastBlock)
            {
                Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)written);
                var mask = Special(ref from, i);
                if (mask == 0)
                {
                    i += Vector128<byte>.Count;
                    written += Vector128<byte>.Count;
                    continue;
                }

                while (true)
                {
                    var at = BitOperations.TrailingZeroCount(mask);
                    i += at;
                    written += at;
                    var taken = Settle(rest, i, destination, ref written, removeContinuationTabs);
                    if (taken == 0) goto closed;
                    i += taken;
                    mask >>= at + taken;
                    if (mask == 0 || i > lastBlock) break;
                    Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)written);
                }
            }
        }

        while (true)
        {
            // Copy runs of plain bytes at once; only quotes and newlines need a look.
            var special = rest[i..].IndexOfAny((byte)'"', (byte)'\n');
            if (special < 0)
            {
                value = default;
                return false;
            }

            rest.Slice(i, special).CopyTo(destination[written..]);
            written += special;
            i += special;
            var taken = Settle(rest, i, destination, ref written, removeContinuationTabs);
            if (taken == 0) break;
            i += taken;
        }

    closed:
        value = destination[..written];
        scratchUsed += written;
        var after = i + 1;
        if (after == rest.Length)
        {
            position = -1;
            return true;
        }

        if (rest[after] != (byte)',')
        {
            return false;
        }

        position += after + 1;
        return true;
    }

    // At a newline or quote inside a quoted field: writes what it stands for and returns the bytes it
    // took, or 0 at the closing quote.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Settle(ReadOnlySpan<byte> rest, int i, Span<byte> destination, scoped ref int written, bool removeContinuationTabs)
    {
        if (rest[i] == (byte)'\n')
        {
            destination[written++] = (byte)'\n';
            return removeContinuationTabs && i + 1 < rest.Length && rest[i + 1] == (byte)'\t' ? 2 : 1;
        }

        if (i + 1 < rest.Length && rest[i + 1] == (byte)'"')
        {
            destination[written++] = (byte)'"';
            return 2;
        }

        return 0;
    }

    // Most fields are short: one block usually shows the comma.
    private static int IndexOfComma(ReadOnlySpan<byte> rest)
    {
        if (rest.Length < Vector128<byte>.Count || !Vector128.IsHardwareAccelerated) return rest.IndexOf((byte)',');
        var block = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(rest));
        var mask = Vector128.Equals(block, Vector128.Create((byte)',')).ExtractMostSignificantBits();
        if (mask != 0) return BitOperations.TrailingZeroCount(mask);
        var later = rest[Vector128<byte>.Count..].IndexOf((byte)',');
        return later < 0 ? -1 : later + Vector128<byte>.Count;
    }

    // A bit for each quote or newline in the block at offset.
    private static uint Special(ref byte at, int offset)
    {
        var block = Vector128.LoadUnsafe(ref at, (nuint)offset);
        return (Vector128.Equals(block, Vector128.Create((byte)'"')) | Vector128.Equals(block, Vector128.Create((byte)'\n'))).ExtractMostSignificantBits();
    }
}
