using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PgAuditFirehose.Records;

/// <summary>
/// Writes into a span its caller sized for the worst case, so no call on the way has to ask for room:
/// one reservation per record instead of one per field. Bounds are still checked by the span.
/// </summary>
internal ref struct SpanWriter(Span<byte> span)
{
    private readonly Span<byte> _span = span;

    public int Written { get; private set; }

    /// <summary>The room after what was written, for a caller that writes there itself and then calls <see cref="Skip"/>.</summary>
    public readonly Span<byte> Free => _span[Written..];

    public void Skip(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _span.Length - Written);
        Written += count;
    }

    public void Put(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_span[Written..]);
        Written += bytes.Length;
    }

    /// <summary>
    /// Writes the first <paramref name="length"/> bytes of <paramref name="slot"/>, a whole number of
    /// 16-byte blocks, by copying the blocks: the bytes after the text may change when there is room.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PutSlot(scoped ReadOnlySpan<byte> slot, int length)
    {
        if (_span.Length - Written < slot.Length || !Vector128.IsHardwareAccelerated)
        {
            Put(slot[..length]);
            return;
        }

        ref var from = ref MemoryMarshal.GetReference(slot);
        ref var to = ref Unsafe.Add(ref MemoryMarshal.GetReference(_span), Written);
        for (var i = 0; i + Vector128<byte>.Count <= slot.Length; i += Vector128<byte>.Count)
        {
            Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        }

        Written += length;
    }

    public void Number(long value)
    {
        if (!Utf8Formatter.TryFormat(value, _span[Written..], out var written)) throw new ArgumentException("No room left for the number.", nameof(value));
        Written += written;
    }

    /// <summary>Writes <paramref name="value"/> in quotes as it is: for text known to hold nothing JSON must escape.</summary>
    public void QuotedPlain(scoped ReadOnlySpan<byte> value)
    {
        _span[Written] = (byte)'"';
        value.CopyTo(_span[(Written + 1)..]);
        Written += value.Length + 2;
        _span[Written - 1] = (byte)'"';
    }

    /// <summary>Writes <paramref name="value"/> as a quoted JSON string: the span needs room for its escaped form (6 bytes per byte at most) and the quotes.</summary>
    public void JsonString(scoped ReadOnlySpan<byte> value)
    {
        _span[Written++] = (byte)'"';
        Written += JsonText.Escape(value, _span[Written..]);
        _span[Written++] = (byte)'"';
    }
}
