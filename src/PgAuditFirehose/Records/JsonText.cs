using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PgAuditFirehose.Records;

/// <summary>
/// JSON string escaping straight into UTF-8 output. The text is valid UTF-8 already (checked when the
/// envelope was read), so only '"', '\' and control characters need escaping; everything else,
/// non-ASCII included, is copied as it is, a run at a time.
/// </summary>
internal static class JsonText
{
    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
        (byte)'"', (byte)'\\',
    ]);

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Writes <paramref name="value"/> as a quoted JSON string.</summary>
    public static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        // Worst case every byte becomes \u00XX.
        var writer = new SpanWriter(output.GetSpan(value.Length * 6 + 2));
        writer.JsonString(value);
        output.Advance(writer.Written);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destination"/> up to the first byte a JSON
    /// string must escape (<c>"</c>, <c>\</c>, control characters); returns how many bytes it copied.
    /// The destination must have room for all of the source: 16 bytes are copied at a time, then
    /// looked at, which is what makes the short runs between escapes cheap.
    /// </summary>
    public static int CopyPlain(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var from = ref MemoryMarshal.GetReference(source);
            ref var to = ref MemoryMarshal.GetReference(destination);
            while (i <= source.Length - Vector128<byte>.Count)
            {
                var block = Vector128.LoadUnsafe(ref from, (nuint)i);
                block.StoreUnsafe(ref to, (nuint)i);
                var special = Vector128.Equals(block, Vector128.Create((byte)'"'))
                    | Vector128.Equals(block, Vector128.Create((byte)'\\'))
                    | Vector128.LessThan(block, Vector128.Create((byte)0x20));
                var mask = special.ExtractMostSignificantBits();
                if (mask != 0) return i + BitOperations.TrailingZeroCount(mask);
                i += Vector128<byte>.Count;
            }
        }

        for (; i < source.Length; i++)
        {
            var b = source[i];
            if (b < 0x20 || b == (byte)'"' || b == (byte)'\\') return i;
            destination[i] = b;
        }

        return i;
    }

    /// <summary>The bytes <see cref="WriteString"/> writes between the quotes.</summary>
    public static long EscapedLength(ReadOnlySpan<byte> value)
    {
        long length = value.Length;
        while (true)
        {
            var special = value.IndexOfAny(NeedsEscape);
            if (special < 0) return length;
            var b = value[special];
            length += b is (byte)'"' or (byte)'\\' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\b' or (byte)'\f' ? 1 : 5;
            value = value[(special + 1)..];
        }
    }

    /// <summary>Writes the escape for <paramref name="b"/>; returns its length (2 or 6).</summary>
    public static int Escape(byte b, Span<byte> span)
    {
        span[0] = (byte)'\\';
        switch (b)
        {
            case (byte)'"': span[1] = (byte)'"'; return 2;
            case (byte)'\\': span[1] = (byte)'\\'; return 2;
            case (byte)'\n': span[1] = (byte)'n'; return 2;
            case (byte)'\r': span[1] = (byte)'r'; return 2;
            case (byte)'\t': span[1] = (byte)'t'; return 2;
            case (byte)'\b': span[1] = (byte)'b'; return 2;
            case (byte)'\f': span[1] = (byte)'f'; return 2;
            default:
                "u00"u8.CopyTo(span[1..]);
                span[4] = Hex[b >> 4];
                span[5] = Hex[b & 0xf];
                return 6;
        }
    }
}
