using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PgAuditFirehose.Records;

/// <summary>
/// Short constant texts (the JSON keys), each in a slot of two 16-byte blocks, so writing one is two
/// block copies rather than a copy whose length has to be looked at.
/// </summary>
internal sealed class Snippets
{
    /// <summary>The room a write needs: a whole slot.</summary>
    public const int SlotLength = 2 * 16;

    private readonly byte[] _slots;
    private readonly int[] _lengths;

    public Snippets(byte[][] texts)
    {
        _slots = new byte[texts.Length * SlotLength];
        _lengths = new int[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i].Length > SlotLength) throw new ArgumentException($"'{System.Text.Encoding.UTF8.GetString(texts[i])}' is longer than a {SlotLength}-byte slot.", nameof(texts));
            texts[i].CopyTo(_slots, i * SlotLength);
            _lengths[i] = texts[i].Length;
        }
    }

    public int Length(int index) => _lengths[index];

    /// <summary>The slots, for <see cref="Put(byte[], int[], Span{byte}, int, int)"/>.</summary>
    public byte[] Slots => _slots;

    /// <summary>The texts' lengths, for <see cref="Put(byte[], int[], Span{byte}, int, int)"/>.</summary>
    public int[] Lengths => _lengths;

    /// <summary>
    /// Writes snippet <paramref name="index"/> at <paramref name="at"/> and returns where it ends. With
    /// room for a whole slot the slot is copied, so the bytes after the text may change.
    /// </summary>
    public int Put(Span<byte> destination, int at, int index) => Put(_slots, _lengths, destination, at, index);

    /// <summary>
    /// The same, given <see cref="Slots"/> and <see cref="Lengths"/>: a writer that keeps them in static
    /// readonly fields lets the JIT take the arrays as constants, no loads or checks of its own, wherever
    /// the index is a constant too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Put(byte[] slots, int[] lengths, Span<byte> destination, int at, int index)
    {
        if ((uint)at > (uint)destination.Length || destination.Length - at < SlotLength || !Vector128.IsHardwareAccelerated) return PutExactly(slots, lengths, destination, at, index);
        var slot = slots.AsSpan(index * SlotLength, SlotLength);
        ref var from = ref MemoryMarshal.GetReference(slot);
        ref var to = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), at);
        Vector128.LoadUnsafe(ref from).StoreUnsafe(ref to);
        Vector128.LoadUnsafe(ref from, 16).StoreUnsafe(ref to, 16);
        return at + lengths[index];
    }

    // Without room for a whole slot, the text alone: out of line, so that every inlined Put stays two copies.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int PutExactly(byte[] slots, int[] lengths, Span<byte> destination, int at, int index)
    {
        var length = lengths[index];
        slots.AsSpan(index * SlotLength, length).CopyTo(destination[at..]);
        return at + length;
    }
}
