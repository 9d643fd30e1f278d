using System.Buffers;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// A record's output, written into an array from the shared pool that is then handed over whole
/// instead of copied: a batch's outputs add up to megabytes, and fresh arrays that size would cost
/// gen-2 collections. Past <see cref="PooledSize"/> an output gets an array of its own instead: the pool
/// rounds to a power of two (up to twice the bytes) and keeps what it is given back.
/// </summary>
internal sealed class OutputBuffer : IBufferWriter<byte>
{
    private const int MinimumSize = 64 * 1024;

    /// <summary>The largest array taken from the shared pool.</summary>
    public const int PooledSize = 4 * 1024 * 1024;

    private byte[] _array = [];
    private bool _pooled;

    /// <summary>The most bytes an output may take; past it, <see cref="OutputLimitException"/>.</summary>
    public int Limit { get; init; } = Array.MaxLength;
    private int _count;

    public int WrittenCount => _count;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _count);

    /// <summary>Starts a new output, with room for about <paramref name="expectedLength"/> bytes.</summary>
    public void Start(int expectedLength)
    {
        _count = 0;
        LetGo();
        Ensure(Math.Min(expectedLength, Limit));
    }

    /// <summary>Lets go of an array of its own (the last output's, when nothing took it): the GC has it back.</summary>
    public void LetGo()
    {
        if (_pooled) return;
        _array = [];
        _count = 0;
    }

    /// <summary>
    /// Hands over the array holding the output (the caller returns it to the pool when <paramref name="pooled"/>);
    /// the next output gets another.
    /// </summary>
    public byte[] Detach(out bool pooled)
    {
        var array = _array;
        pooled = _pooled;
        _array = [];
        _pooled = false;
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
        if (needed > Limit) throw new OutputLimitException(Limit);
        var size = (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(2L * _array.Length, MinimumSize)));
        var pooled = size <= PooledSize;
        // Past the pool's sizes, grow by half: the copy holds both arrays for a moment.
        var bigger = pooled ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>((int)Math.Min(Limit, Math.Max(needed, _array.Length * 3L / 2)));
        _array.AsSpan(0, _count).CopyTo(bigger);
        if (_pooled) ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
        _pooled = pooled;
    }
}
