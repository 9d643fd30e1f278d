using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PgAuditFirehose.Records;

/// <summary>
/// Short constant texts (the JSON keys), each in a slot of whole 16-byte blocks, so writing one is a
/// copy of its slot block by block rather than a copy whose length has to be looked at.
/// </summary>
internal sealed class Snippets
{
    private readonly byte[] _slots;
    private readonly int[] _lengths;

    public Snippets(byte[][] texts)
    {
        var longest = 0;
        foreach (var text in texts) longest = Math.Max(longest, text.Length);
        SlotLength = (longest + Vector128<byte>.Count - 1) / Vector128<byte>.Count * Vector128<byte>.Count;
        _slots = new byte[texts.Length * SlotLength];
        _lengths = new int[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i].CopyTo(_slots, i * SlotLength);
            _lengths[i] = texts[i].Length;
        }
    }

    /// <summary>The room a write needs beyond the text itself.</summary>
    public int SlotLength { get; }

    public int Length(int index) => _lengths[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Put(ref SpanWriter writer, int index) => writer.PutSlot(_slots.AsSpan(index * SlotLength, SlotLength), _lengths[index]);
}
