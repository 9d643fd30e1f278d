using System.Buffers;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// A record's output, written into an array from the shared pool that is then handed over whole
/// instead of copied: a batch's outputs add up to megabytes, and fresh arrays that size would cost
/// gen-2 collections.
/// </summary>
internal sealed class OutputBuffer : IBufferWriter<byte>
{
    private const int MinimumSize = 64 * 1024;
    private byte[] _array = [];
    private int _count;

    public int WrittenCount => _count;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _count);

    /// <summary>Starts a new output, with room for about <paramref name="expectedLength"/> bytes.</summary>
    public void Start(int expectedLength)
    {
        _count = 0;
        Ensure(expectedLength);
    }

    /// <summary>Hands over the array holding the output (the caller returns it to the pool); the next output gets another.</summary>
    public byte[] Detach()
    {
        var array = _array;
        _array = [];
        _count = 0;
        return array;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _array.Length - _count);
        _count += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_count);
    }

    private void Ensure(int sizeHint)
    {
        var needed = _count + (long)Math.Max(sizeHint, 1);
        if (needed <= _array.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(2L * _array.Length, MinimumSize))));
        _array.AsSpan(0, _count).CopyTo(bigger);
        if (_array.Length > 0) ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
