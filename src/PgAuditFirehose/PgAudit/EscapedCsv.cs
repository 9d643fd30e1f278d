using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.PgAudit;

/// <summary>
/// Reads one of pgAudit's CSV fields from text still escaped as the envelope's JSON wrote it, and
/// writes the field's value JSON-escaped exactly as <see cref="Records.JsonText.Escape"/> would escape
/// it — one pass where the unescaped way takes three (unescape the message, unquote the field, escape
/// the value). In the JSON a quoted field is <c>\"...\"</c> and a doubled quote inside it <c>\"\"</c>.
/// Declines (false) whatever it cannot settle byte for byte as the unescaped way would: a <c>\u</c>
/// escape, a newline that is not followed by PostgreSQL's continuation tab (the entry ends there), a
/// newline in an unquoted field, a field that ends the text.
/// </summary>
internal static class EscapedCsv
{
    /// <summary>
    /// Reads the field at <paramref name="start"/> of <paramref name="escaped"/> (no escape may come
    /// before it) into <paramref name="destination"/>, which needs room for the rest of the text and 16
    /// bytes more; <paramref name="written"/> is the value's length. <paramref name="end"/> is past the
    /// field's comma, and <paramref name="unescapedEnd"/> the same place in the unescaped text.
    /// </summary>
    public static bool TryTranscodeField(
        ReadOnlySpan<byte> escaped, int start, Span<byte> destination, out int written, out int end, out int unescapedEnd)
    {
        written = end = unescapedEnd = 0;
        if ((uint)start > (uint)escaped.Length || destination.Length < escaped.Length - start + Vector128<byte>.Count) return false;
        var quoted = escaped.Length - start >= 2 && escaped[start] == (byte)'\\' && escaped[start + 1] == (byte)'"';
        int src = quoted ? start + 2 : start, dst = 0;
        // Every escape is two bytes that stand for one.
        var escapes = quoted ? 1 : 0;
        // Quoted fields only, and not for less than a block: the call would cost a short field more than it
        // saves. (A number, not Vector512's Count: a mention of Vector512 here would have the runtime reject
        // this method's ReadyToRun code, and its callees', on an AVX-512 machine.)
        var blocks = quoted && escaped.Length - src >= Block512 ? CopyBlocks512(escaped, destination, ref src, ref dst, ref escapes) : More;
        if (blocks == More && Vector128.IsHardwareAccelerated)
        {
            blocks = Vector256.IsHardwareAccelerated ? CopyBlocks(escaped, destination, quoted, ref src, ref dst, ref escapes, wide: true) : More;
            if (blocks == More) blocks = CopyBlocks(escaped, destination, quoted, ref src, ref dst, ref escapes, wide: false);
        }

        if (blocks == Declined) return false;
        if (blocks == FieldEnd) goto stop;

        // What is left, a byte or an escape at a time.
        while (true)
        {
            if (src == escaped.Length) return false;
            var b = escaped[src];
            if (b != (byte)'\\' && b != LineSeparatorLead && (quoted || b != (byte)','))
            {
                destination[dst++] = b;
                src++;
                continue;
            }

            var taken = Copied(escaped, src, ref destination[dst], quoted, out var wrote);
            if (taken <= 0)
            {
                if (taken < 0) return false;
                break;
            }

            src += taken;
            dst += wrote;
            escapes += taken >> 1;
        }

    stop:
        // At the field's end: an unquoted field's comma, or a quoted field's closing \" (which a comma must
        // follow: a field that ends the text is not STATEMENT).
        if (quoted)
        {
            escapes++;
            if (src + 2 >= escaped.Length || escaped[src + 2] != (byte)',') return false;
            end = src + 3;
        }
        else
        {
            end = src + 1;
        }

        written = dst;
        unescapedEnd = end - escapes;
        return true;
    }

    private const int More = 1, FieldEnd = 0, Declined = -1, Block512 = 64;

    // The first byte of U+2028 and U+2029 (E2 80 A8, E2 80 A9), which NDJSON output must escape.
    private const byte LineSeparatorLead = 0xE2;

    // The blocks, 32 bytes (where the hardware has 256-bit vectors) or 16: copied, then looked at.
    // Escapes come in clusters (a quoted identifier's doubled quotes are \"\"), so the ones a block shows
    // are settled from its mask one after another, each copied as it is (\"\" and \n\t as their first
    // half), the block copied again after each. Returns More once less than a block is left, FieldEnd
    // at the field's end (src is there), or Declined.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CopyBlocks(
        ReadOnlySpan<byte> escaped, Span<byte> destination, bool quoted, scoped ref int source, scoped ref int written, scoped ref int escapes, bool wide)
    {
        ref var from = ref MemoryMarshal.GetReference(escaped);
        ref var to = ref MemoryMarshal.GetReference(destination);
        var width = wide ? Vector256<byte>.Count : Vector128<byte>.Count;
        var lastBlock = escaped.Length - width;
        // Locals, not the ref parameters, so that they stay in registers.
        int src = source, dst = written, count = escapes, result = More;
        while (src <= lastBlock)
        {
            var mask = CopyBlock(ref from, src, ref to, dst, quoted, wide);
            if (mask == 0)
            {
                src += width;
                dst += width;
                continue;
            }

            while (true)
            {
                var skip = BitOperations.TrailingZeroCount(mask);
                src += skip;
                dst += skip;
                var taken = Copied(escaped, src, ref Unsafe.Add(ref to, dst), quoted, out var wrote);
                if (taken <= 0)
                {
                    result = taken < 0 ? Declined : FieldEnd;
                    goto done;
                }

                src += taken;
                dst += wrote;
                count += taken >> 1;
                // A 32-bit mask shifted by 32 or more would keep its bits (C# takes the count mod 32).
                mask = skip + taken < 32 ? mask >> (skip + taken) : 0;
                if (mask == 0 || src > lastBlock) break;
                if (wide) Vector256.LoadUnsafe(ref from, (nuint)src).StoreUnsafe(ref to, (nuint)dst);
                else Vector128.LoadUnsafe(ref from, (nuint)src).StoreUnsafe(ref to, (nuint)dst);
            }
        }

    done:
        source = src;
        written = dst;
        escapes = count;
        return result;
    }

    // Where the hardware compresses bytes (AVX-512 VBMI2), a quoted field 64 bytes a look with all its
    // escapes settled at once, as Copied settles them one by one: each escape's backslash found, its
    // letter's kind looked up, the second half of each \"\" and the \t of each \n\t and the backslash of
    // each \/ taken out by a compress. It settles a block up to the field's closing \" (FieldEnd, src
    // there), and leaves to the block loops below what it cannot settle so — two backslashes side by
    // side, three quotes in a row (their pairing needs the text before), a \u or bad escape, a \n without
    // its tab — the escapes that start in a block's last four bytes (what follows them may be in the
    // next), and a field that ends in the first block (a short one costs more here than it saves); More
    // then. Out of line with its own test of the hardware, as JsonText's 64-byte unescape is.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CopyBlocks512(ReadOnlySpan<byte> escaped, Span<byte> destination, scoped ref int source, scoped ref int written, scoped ref int escapes)
    {
        if (!Avx512Vbmi2.IsSupported || !Avx512Vbmi.IsSupported || !Vector512.IsHardwareAccelerated) return More;
        ref var from = ref MemoryMarshal.GetReference(escaped);
        ref var to = ref MemoryMarshal.GetReference(destination);
        ref var table = ref MemoryMarshal.GetReference(Kinds);
        var kindsLow = Vector512.LoadUnsafe(ref table);
        var kindsHigh = Vector512.LoadUnsafe(ref table, (nuint)Vector512<byte>.Count);
        int src = source, dst = written, count = escapes, result = More;
        var lastBlock = escaped.Length - Vector512<byte>.Count;
        var lastRoom = destination.Length - Vector512<byte>.Count;
        while (src <= lastBlock && dst <= lastRoom)
        {
            var block = Vector512.LoadUnsafe(ref from, (nuint)src);
            var backslashes = Vector512.Equals(block, Vector512.Create((byte)'\\')).ExtractMostSignificantBits();
            // Bytes that may start U+2028/U+2029 are left to the loops below, which decline the separators.
            var leads = Vector512.Equals(block, Vector512.Create(LineSeparatorLead)).ExtractMostSignificantBits();
            if ((backslashes | leads) == 0)
            {
                block.StoreUnsafe(ref to, (nuint)dst);
                src += Vector512<byte>.Count;
                dst += Vector512<byte>.Count;
                continue;
            }

            if ((backslashes & (backslashes << 1)) != 0) break;
            // By each escape's backslash: what its letter is.
            var letters = backslashes << 1;
            var settled = ~(Vector512.Equals(Avx512Vbmi.PermuteVar64x8x2(kindsLow, block, kindsHigh), Vector512<byte>.Zero).ExtractMostSignificantBits()
                | block.ExtractMostSignificantBits());
            var quotes = (Vector512.Equals(block, Vector512.Create((byte)'"')).ExtractMostSignificantBits() & letters) >> 1;
            var newlines = (Vector512.Equals(block, Vector512.Create((byte)'n')).ExtractMostSignificantBits() & letters) >> 1;
            var tabs = (Vector512.Equals(block, Vector512.Create((byte)'t')).ExtractMostSignificantBits() & letters) >> 1;
            var slashes = (Vector512.Equals(block, Vector512.Create((byte)'/')).ExtractMostSignificantBits() & letters) >> 1;
            var unsettled = (letters & ~settled) >> 1;
            if ((quotes & (quotes << 2) & (quotes << 4)) != 0) break;
            var doubled = quotes & (quotes >> 2);
            var continued = newlines & (tabs >> 2);
            var seconds = (doubled | continued) << 2;
            var starts = backslashes & ~seconds;
            var closing = quotes & ~doubled & ~(doubled << 2);
            const ulong LastFour = 0xFUL << 60;
            // A field that ends in the first block is left to the block loops, as it costs more here than it saves.
            if ((closing & starts & ~LastFour) != 0 && src == source) break;
            var cuts = ((closing | unsettled | (newlines & ~continued) | LastFour) & starts) | leads;
            var length = cuts == 0 ? Vector512<byte>.Count : BitOperations.TrailingZeroCount(cuts);
            var range = length == Vector512<byte>.Count ? ulong.MaxValue : (1UL << length) - 1;
            var keep = ~(seconds | (seconds << 1) | (slashes & starts)) & range;
            Avx512Vbmi2.Compress(Vector512<byte>.Zero, ByteMask.Lanes(keep), block).StoreUnsafe(ref to, (nuint)dst);
            src += length;
            dst += BitOperations.PopCount(keep);
            count += BitOperations.PopCount(backslashes & range);
            if (length == Vector512<byte>.Count || length >= 60) continue;
            // Stopped before the field's closing quote, or before what the loops below settle or decline.
            if (((closing >> length) & 1) != 0) result = FieldEnd;
            break;
        }

        source = src;
        written = dst;
        escapes = count;
        return result;
    }

    // Copies the block at escaped offset src to destination offset dst; returns a bit for each backslash
    // and each lead byte of U+2028/U+2029 in it and, unquoted, each comma.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CopyBlock(ref byte from, int src, ref byte to, int dst, bool quoted, bool wide)
    {
        if (wide)
        {
            var block = Vector256.LoadUnsafe(ref from, (nuint)src);
            block.StoreUnsafe(ref to, (nuint)dst);
            var stops = Vector256.Equals(block, Vector256.Create((byte)'\\')) | Vector256.Equals(block, Vector256.Create(LineSeparatorLead));
            if (!quoted) stops |= Vector256.Equals(block, Vector256.Create((byte)','));
            return stops.ExtractMostSignificantBits();
        }
        else
        {
            var block = Vector128.LoadUnsafe(ref from, (nuint)src);
            block.StoreUnsafe(ref to, (nuint)dst);
            var stops = Vector128.Equals(block, Vector128.Create((byte)'\\')) | Vector128.Equals(block, Vector128.Create(LineSeparatorLead));
            if (!quoted) stops |= Vector128.Equals(block, Vector128.Create((byte)','));
            return stops.ExtractMostSignificantBits();
        }
    }

    // At a backslash (or, unquoted, a comma) at escaped[at]: writes its JSON form at destination (room
    // for two bytes) and returns the bytes it took (2, or 4 for a doubled quote or a newline with its
    // continuation tab, each written as its first escape); 0 at the field's end, -1 for what it cannot settle.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Copied(ReadOnlySpan<byte> escaped, int at, ref byte destination, bool quoted, out int written)
    {
        written = 2;
        if (escaped[at] == (byte)',') return 0;
        if (escaped[at] == LineSeparatorLead)
        {
            // The JSON may hold U+2028/U+2029 as they are; the unescaped way writes them escaped.
            if (JsonText.LineSeparatorIndex(escaped.Slice(at, Math.Min(3, escaped.Length - at))) == 0) return -1;
            destination = LineSeparatorLead;
            written = 1;
            return 1;
        }

        if (at + 1 >= escaped.Length) return -1;
        var letter = escaped[at + 1];
        var kind = Kinds[letter];
        // As it is: the backslash and its letter.
        Unsafe.WriteUnaligned(ref destination, Unsafe.ReadUnaligned<ushort>(in escaped[at]));
        if (kind == Simple) return 2;
        if (kind == Paired)
        {
            // \" must be doubled (\"\") inside a quoted field, else it closes it; \n must be followed by the
            // continuation tab (\n\t), which goes, else the entry ends there. In an unquoted field a quote
            // stays as it is, and a newline is not settled here.
            var second = letter == (byte)'"' ? (byte)'"' : (byte)'t';
            if (at + 3 < escaped.Length && escaped[at + 2] == (byte)'\\' && escaped[at + 3] == second) return quoted ? 4 : (letter == (byte)'"' ? 2 : -1);
            if (!quoted) return letter == (byte)'"' ? 2 : -1;
            return letter == (byte)'"' ? 0 : -1;
        }

        if (kind == Slash)
        {
            // JSON need not escape '/': the value holds it plain.
            destination = (byte)'/';
            written = 1;
            return 2;
        }

        return -1; // \u: the unescaped way writes what it stands for, which may differ.
    }

    private const byte Unsettled = 0, Simple = 1, Paired = 2, Slash = 3;

    // What follows a backslash: \\ \t \r \b \f are copied; \" and \n come in pairs; \/ is a plain '/'.
    private static ReadOnlySpan<byte> Kinds =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, Paired, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Slash, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Simple, 0, 0, 0,
        0, 0, Simple, 0, 0, 0, Simple, 0, 0, 0, 0, 0, 0, 0, Paired, 0, 0, 0, Simple, 0, Simple, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
}
