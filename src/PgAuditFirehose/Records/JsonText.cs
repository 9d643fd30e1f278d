using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PgAuditFirehose.Records;

/// <summary>
/// JSON string escaping straight into UTF-8 output. The text is valid UTF-8 already (checked when the
/// envelope was read), so only '"', '\', control characters and U+2028/U+2029 need escaping; everything
/// else, non-ASCII included, is copied as it is, a run at a time. The line and paragraph separators are
/// valid in JSON as they are, but readers that split on Unicode line breaks (Python's splitlines, some log
/// shippers) would cut an NDJSON record there: they are written \u2028 and \u2029, as System.Text.Json does.
/// </summary>
internal static class JsonText
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>What the one-letter escape <c>\<paramref name="letter"/></c> stands for; 0 when JSON has no such escape (<c>\u</c> included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Unescaped(byte letter) => UnescapedLetters[letter];

    // The letter of b's one-letter escape; 0 when b is written as \u00XX (or needs no escape).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte EscapeLetter(byte b) => EscapeLetters[b];

    // Tables, not switches: the letters of a statement's escapes (\" \n \t) follow no pattern a branch
    // predictor could learn. Indexed by the letter after a backslash: what it stands for.
    private static ReadOnlySpan<byte> UnescapedLetters =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, (byte)'"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)'/', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)'\\', 0, 0, 0,
        0, 0, (byte)'\b', 0, 0, 0, (byte)'\f', 0, 0, 0, 0, 0, 0, 0, (byte)'\n', 0, 0, 0, (byte)'\r', 0, (byte)'\t', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    // Indexed by a byte: the letter of its one-letter escape.
    private static ReadOnlySpan<byte> EscapeLetters =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, (byte)'b', (byte)'t', (byte)'n', 0, (byte)'f', (byte)'r', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, (byte)'"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)'\\', 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>Writes <paramref name="value"/> as a quoted JSON string.</summary>
    public static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        // Worst case every byte becomes \u00XX.
        var writer = new SpanWriter(output.GetSpan(value.Length * 6 + 2));
        writer.JsonString(value);
        output.Advance(writer.Written);
    }

    /// <summary>
    /// Writes <paramref name="source"/> escaped for a JSON string (without the quotes) into
    /// <paramref name="destination"/>; returns the bytes written. Plain bytes are copied 32 or 16 at a time
    /// and the block looked at after, which is what makes the short runs between escapes cheap; so
    /// up to 32 bytes after the written ones may change. Throws when the destination is too short.
    /// </summary>
    public static int Escape(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int i = 0, n = 0;
        if (Vector128.IsHardwareAccelerated) CopyBlocks(source, destination, ref i, ref n, unescape: false);

        while (true)
        {
            var plain = CopyPlain(source[i..], destination[n..], escape: true);
            i += plain;
            n += plain;
            if (i == source.Length) return n;
            if (source[i] == LineSeparatorLead)
            {
                n += WriteLead(source, i, destination[n..], out var taken);
                i += taken;
            }
            else
            {
                n += EscapeByte(source[i++], destination[n..]);
            }
        }
    }

    /// <summary>
    /// Copies JSON string text from <paramref name="source"/> into <paramref name="destination"/>,
    /// undoing the one-letter escapes on the way, and stops at the first byte it cannot settle alone:
    /// the closing quote, a <c>\u</c> escape, a bad escape or a raw control character. Returns the bytes
    /// written; <paramref name="read"/> is where it stopped (the source's length when it ran out). Up to
    /// 64 bytes after the written ones may change; throws when the destination is too short.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> source, Span<byte> destination, out int read)
    {
        int i = 0, n = 0;
        UnescapeBlocks512(source, destination, ref i, ref n);
        if (Vector128.IsHardwareAccelerated && !CopyBlocks(source, destination, ref i, ref n, unescape: true))
        {
            read = i;
            return n;
        }

        while (true)
        {
            var plain = CopyPlain(source[i..], destination[n..], escape: false);
            i += plain;
            n += plain;
            if (i == source.Length || source[i] != (byte)'\\' || i + 1 == source.Length || Unescaped(source[i + 1]) is var simple && simple == 0) break;
            destination[n++] = simple;
            i += 2;
        }

        read = i;
        return n;
    }

    // Where the hardware compresses bytes (x64 with AVX-512 VBMI2: Ice Lake, Zen 4 and later), 64 bytes a
    // look with all their one-letter escapes settled at once: the letters replaced by what they stand
    // for (a table lookup), the backslashes taken out (a compress), at a cost that does not grow with
    // the escapes a block holds, as the block loops' does. It stops before a block it cannot settle that
    // way (two backslashes side by side, a \u or a bad escape) and after the bytes before a closing
    // quote or control character, and leaves the rest, and a string that ends in its first block, to the
    // block loops; i and n are where it stopped. Out of line, with its own test of the hardware: the
    // ReadyToRun image, built for x86-64-v3, cannot answer for AVX-512, so the runtime jits this method
    // on such a machine — this one and its table's getter, not its callers.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UnescapeBlocks512(ReadOnlySpan<byte> source, Span<byte> destination, ref int i, ref int n)
    {
        if (!Avx512Vbmi2.IsSupported || !Avx512Vbmi.IsSupported || !Vector512.IsHardwareAccelerated) return;
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        var lastBlock = source.Length - Vector512<byte>.Count;
        var lastRoom = destination.Length - Vector512<byte>.Count;
        // What each letter below 128 stands for, the table's two halves; 0 for no escape.
        ref var table = ref MemoryMarshal.GetReference(UnescapedLetters);
        var low = Vector512.LoadUnsafe(ref table);
        var high = Vector512.LoadUnsafe(ref table, (nuint)Vector512<byte>.Count);
        int src = i, dst = n;
        while (src <= lastBlock && dst <= lastRoom)
        {
            var block = Vector512.LoadUnsafe(ref from, (nuint)src);
            var backslashes = Vector512.Equals(block, Vector512.Create((byte)'\\')).ExtractMostSignificantBits();
            var stops = (Vector512.Equals(block, Vector512.Create((byte)'"')) | Vector512.LessThan(block, Vector512.Create((byte)0x20))).ExtractMostSignificantBits();
            if ((backslashes | stops) == 0)
            {
                block.StoreUnsafe(ref to, (nuint)dst);
                src += Vector512<byte>.Count;
                dst += Vector512<byte>.Count;
                continue;
            }

            // \\ (or a run of backslashes) is left to the block loops: with none side by side, each
            // backslash starts an escape and the byte after it is its letter.
            if ((backslashes & (backslashes << 1)) != 0) break;
            var letters = backslashes << 1;
            stops &= ~letters;
            // A string that ends in the first block is left to the block loops: for a short rest (an OLTP
            // line's quoted parameters) a block settled here costs more than it saves.
            if (stops != 0 && src == i) break;
            // The bytes settled here: those before the first stop, and not a last backslash whose letter is past them.
            var length = stops == 0 ? Vector512<byte>.Count : BitOperations.TrailingZeroCount(stops);
            if (length > 0 && ((backslashes >> (length - 1)) & 1) != 0) length--;
            if (length == 0) break;
            var range = length == Vector512<byte>.Count ? ulong.MaxValue : (1UL << length) - 1;
            var translated = Avx512Vbmi.PermuteVar64x8x2(low, block, high);
            // A letter that stands for nothing (\u among them) or is not ASCII: the block loops settle it.
            if (((Vector512.Equals(translated, Vector512<byte>.Zero).ExtractMostSignificantBits() | block.ExtractMostSignificantBits()) & letters & range) != 0) break;
            // The whole block is unescaped and stored; what lies past the settled bytes is counted out (the
            // next block is written over it), as the compress puts the settled ones first.
            var unescaped = Vector512.ConditionalSelect(ByteMask.Lanes(letters), translated, block);
            Avx512Vbmi2.Compress(Vector512<byte>.Zero, ByteMask.Lanes(~backslashes), unescaped).StoreUnsafe(ref to, (nuint)dst);
            src += length;
            dst += length - BitOperations.PopCount(backslashes & range);
        }

        i = src;
        n = dst;
    }

    // The block loops of Escape and Unescape: from source[i..] to destination[n..], 32 bytes (where the
    // hardware has 256-bit vectors) then 16 copied at a time and looked at after.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CopyBlocks(ReadOnlySpan<byte> source, Span<byte> destination, ref int i, ref int n, bool unescape) =>
        (!Vector256.IsHardwareAccelerated || CopyBlocks(source, destination, ref i, ref n, unescape, wide: true))
        && CopyBlocks(source, destination, ref i, ref n, unescape, wide: false);

    // One width's block loop. Escapes come in clusters (a quoted statement's doubled quotes are \"\"),
    // so the ones a block shows are settled one after another without looking at it again; only a block
    // with no more of them is looked at anew. Returns false where unescaping meets what it cannot settle
    // alone (i is there), true once less than a block or too little room is left.
    // Inlined, so each direction and width gets its own copy with both folded in (without TieredPGO, as
    // the function runs, the JIT would otherwise call one shared copy and test them per escape).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CopyBlocks(ReadOnlySpan<byte> source, Span<byte> destination, ref int i, ref int n, bool unescape, bool wide)
    {
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        var width = wide ? Vector256<byte>.Count : Vector128<byte>.Count;
        var lastBlock = source.Length - width;
        // A block is stored only at dst <= lastRoom, so an escape anywhere in it (6 bytes at most) still
        // fits: the escapes are written without a bounds check.
        var lastRoom = destination.Length - width - (unescape ? 0 : MaxEscapeLength - 1);
        // Locals, not the ref parameters, so that they stay in registers.
        int src = i, dst = n;
        while (src <= lastBlock && dst <= lastRoom)
        {
            var mask = CopyBlock(ref from, src, ref to, dst, wide, escape: !unescape);
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
                int taken;
                if (!unescape)
                {
                    if (Unsafe.Add(ref from, src) == LineSeparatorLead)
                    {
                        dst += WriteLead(source, src, MemoryMarshal.CreateSpan(ref Unsafe.Add(ref to, dst), MaxEscapeLength), out taken);
                    }
                    else
                    {
                        dst += WriteEscape(Unsafe.Add(ref from, src), ref Unsafe.Add(ref to, dst));
                        taken = 1;
                    }
                }
                else if (Unsafe.Add(ref from, src) == (byte)'\\' && src + 1 < source.Length && Unescaped(Unsafe.Add(ref from, src + 1)) is var letter && letter != 0)
                {
                    Unsafe.Add(ref to, dst++) = letter;
                    taken = 2;
                }
                else
                {
                    i = src;
                    n = dst;
                    return false;
                }

                src += taken;
                // A 32-bit mask shifted by 32 or more would keep its bits (C# takes the count mod 32).
                mask = skip + taken < 32 ? mask >> (skip + taken) : 0;
                if (mask == 0 || src > lastBlock || dst > lastRoom) break;
                if (wide) Vector256.LoadUnsafe(ref from, (nuint)src).StoreUnsafe(ref to, (nuint)dst);
                else Vector128.LoadUnsafe(ref from, (nuint)src).StoreUnsafe(ref to, (nuint)dst);
            }
        }

        i = src;
        n = dst;
        return true;
    }

    // Copies the block at source offset src to destination offset dst; returns a bit for each of its
    // bytes that must be escaped, or unescaped; escaping, also for each lead byte of U+2028/U+2029's three.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CopyBlock(ref byte from, int src, ref byte to, int dst, bool wide, bool escape)
    {
        if (wide)
        {
            var block = Vector256.LoadUnsafe(ref from, (nuint)src);
            block.StoreUnsafe(ref to, (nuint)dst);
            var special = Special256(ref from, src);
            return escape ? special | Vector256.Equals(block, Vector256.Create(LineSeparatorLead)).ExtractMostSignificantBits() : special;
        }

        var narrow = Vector128.LoadUnsafe(ref from, (nuint)src);
        narrow.StoreUnsafe(ref to, (nuint)dst);
        var mask = Special(ref from, src);
        return escape ? mask | Vector128.Equals(narrow, Vector128.Create(LineSeparatorLead)).ExtractMostSignificantBits() : mask;
    }

    // The first of U+2028's and U+2029's three UTF-8 bytes (E2 80 A8, E2 80 A9); it leads other characters too (’ “ – …).
    private const byte LineSeparatorLead = 0xE2;

    // At a lead byte source[at]: writes \u2028 or \u2029 when it starts one (taken 3), else the byte as it is (taken 1).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteLead(ReadOnlySpan<byte> source, int at, Span<byte> destination, out int taken)
    {
        if (at + 2 < source.Length && source[at + 1] == 0x80 && (source[at + 2] | 1) == 0xA9)
        {
            "\\u202"u8.CopyTo(destination);
            destination[5] = source[at + 2] == 0xA8 ? (byte)'8' : (byte)'9';
            taken = 3;
            return 6;
        }

        destination[0] = LineSeparatorLead;
        taken = 1;
        return 1;
    }

    /// <summary>Where <paramref name="text"/>'s first U+2028 or U+2029 starts; -1 when it holds none.</summary>
    public static int LineSeparatorIndex(ReadOnlySpan<byte> text)
    {
        var from = 0;
        while (true)
        {
            var lead = text[from..].IndexOf(LineSeparatorLead);
            if (lead < 0) return -1;
            var at = from + lead;
            if (at + 2 < text.Length && text[at + 1] == 0x80 && (text[at + 2] | 1) == 0xA9) return at;
            from = at + 1;
        }
    }

    // Copies source up to its first byte that needs an escape and returns how many it copied: what
    // CopyBlocks leaves, under 16 bytes (or all of it without vectors). With room for all of it, a text
    // of 4 to 16 bytes is looked at as two overlapping words; otherwise, or for the text before an
    // escape, it goes a byte at a time.
    private static int CopyPlain(ReadOnlySpan<byte> source, Span<byte> destination, bool escape)
    {
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        var length = source.Length;
        if (destination.Length >= length)
        {
            if (length is >= sizeof(ulong) and <= 2 * sizeof(ulong))
            {
                var head = Unsafe.ReadUnaligned<ulong>(ref from);
                var tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, length - sizeof(ulong)));
                if (!HasSpecial(head, escape) && !HasSpecial(tail, escape))
                {
                    Unsafe.WriteUnaligned(ref to, head);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - sizeof(ulong)), tail);
                    return length;
                }
            }
            else if (length is >= sizeof(uint) and < sizeof(ulong))
            {
                var head = Unsafe.ReadUnaligned<uint>(ref from);
                var tail = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref from, length - sizeof(uint)));
                if (!HasSpecial(head | ((ulong)tail << 32), escape))
                {
                    Unsafe.WriteUnaligned(ref to, head);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - sizeof(uint)), tail);
                    return length;
                }
            }
        }

        var j = 0;
        for (; j < length && !IsSpecial(source[j]) && !(escape && source[j] == LineSeparatorLead); j++) destination[j] = source[j];
        return j;
    }

    // Whether any of the eight bytes needs an escape: below 0x20, '"' or '\', and escaping, a lead byte of
    // U+2028/U+2029 (exact as a yes or no, though not as to which byte).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasSpecial(ulong word, bool escape = false)
    {
        const ulong Ones = 0x0101010101010101, Highs = 0x8080808080808080;
        var quote = word ^ (Ones * '"');
        var backslash = word ^ (Ones * '\\');
        var found = ((word - (Ones * 0x20)) & ~word)
            | ((quote - Ones) & ~quote)
            | ((backslash - Ones) & ~backslash);
        if (escape)
        {
            var lead = word ^ (Ones * LineSeparatorLead);
            found |= (lead - Ones) & ~lead;
        }

        return (found & Highs) != 0;
    }

    // A bit for each byte of the block that must be escaped. (Taking the block as a parameter would keep
    // ReadyToRun from compiling every caller: Vector128 is not part of its stable calling convention.)
    private static uint Special(ref byte at, int offset)
    {
        var block = Vector128.LoadUnsafe(ref at, (nuint)offset);
        return (Vector128.Equals(block, Vector128.Create((byte)'"'))
            | Vector128.Equals(block, Vector128.Create((byte)'\\'))
            | Vector128.LessThan(block, Vector128.Create((byte)0x20))).ExtractMostSignificantBits();
    }

    private static uint Special256(ref byte at, int offset)
    {
        var block = Vector256.LoadUnsafe(ref at, (nuint)offset);
        return (Vector256.Equals(block, Vector256.Create((byte)'"'))
            | Vector256.Equals(block, Vector256.Create((byte)'\\'))
            | Vector256.LessThan(block, Vector256.Create((byte)0x20))).ExtractMostSignificantBits();
    }

    private static bool IsSpecial(byte b) => b < 0x20 || b == (byte)'"' || b == (byte)'\\';

    /// <summary>How many bytes <paramref name="text"/> starts with that a JSON string need not escape.</summary>
    public static int PlainLength(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (text.Length >= Vector128<byte>.Count && Vector128.IsHardwareAccelerated)
        {
            ref var from = ref MemoryMarshal.GetReference(text);
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= text.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
                {
                    var wide = Special256(ref from, i);
                    if (wide != 0) return i + BitOperations.TrailingZeroCount(wide);
                }
            }

            for (; i <= text.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var mask = Special(ref from, i);
                if (mask != 0) return i + BitOperations.TrailingZeroCount(mask);
            }

            if (i == text.Length) return i;
            var last = text.Length - Vector128<byte>.Count;
            var rest = Special(ref from, last) >> (i - last);
            return rest == 0 ? text.Length : i + BitOperations.TrailingZeroCount(rest);
        }

        while (i < text.Length && !IsSpecial(text[i])) i++;
        return i;
    }

    /// <summary>The bytes <see cref="WriteString"/> writes between the quotes.</summary>
    public static long EscapedLength(ReadOnlySpan<byte> value)
    {
        long length = value.Length;
        while (true)
        {
            var special = PlainLength(value);
            var separator = LineSeparatorIndex(value[..special]);
            if (separator >= 0)
            {
                // Three bytes become six.
                length += 3;
                value = value[(separator + 3)..];
                continue;
            }

            if (special == value.Length) return length;
            var b = value[special];
            length += EscapeLetter(b) != 0 ? 1 : 5;
            value = value[(special + 1)..];
        }
    }

    private const int MaxEscapeLength = 6;

    // Writes the escape for b at destination, which has room for MaxEscapeLength bytes; returns its length.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteEscape(byte b, ref byte destination)
    {
        if (EscapeLetter(b) is var letter and not 0)
        {
            destination = (byte)'\\';
            Unsafe.Add(ref destination, 1) = letter;
            return 2;
        }

        return EscapeByte(b, MemoryMarshal.CreateSpan(ref destination, MaxEscapeLength));
    }

    // Writes the escape for b; returns its length (2 or 6).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EscapeByte(byte b, Span<byte> span)
    {
        span[0] = (byte)'\\';
        if (EscapeLetter(b) is var letter and not 0)
        {
            span[1] = letter;
            return 2;
        }

        "u00"u8.CopyTo(span[1..]);
        span[4] = Hex[b >> 4];
        span[5] = Hex[b & 0xf];
        return 6;
    }
}
