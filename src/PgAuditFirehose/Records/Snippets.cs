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

    /// <summary>
    /// Writes snippet <paramref name="index"/> at <paramref name="at"/> and returns where it ends. With
    /// room for a whole slot the slot is copied, so the bytes after the text may change.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Put(Span<byte> destination, int at, int index)
    {
        if ((uint)at > (uint)destination.Length || destination.Length - at < SlotLength || !Vector128.IsHardwareAccelerated) return PutExactly(destination, at, index);
        var slot = _slots.AsSpan(index * SlotLength, SlotLength);
        ref var from = ref MemoryMarshal.GetReference(slot);
        ref var to = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), at);
        Vector128.LoadUnsafe(ref from).StoreUnsafe(ref to);
        Vector128.LoadUnsafe(ref from, 16).StoreUnsafe(ref to, 16);
        return at + _lengths[index];
    }

    // Without room for a whole slot, the text alone: out of line, so that every inlined Put stays two copies.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int PutExactly(Span<byte> destination, int at, int index)
    {
        var length = _lengths[index];
        _slots.AsSpan(index * SlotLength, length).CopyTo(destination[at..]);
        return at + length;
    }
}
