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

    /// <summary>Writes <paramref name="value"/> as a quoted JSON string: the span needs room for its escaped form (6 bytes per byte at most) and the quotes.</summary>
    public void JsonString(scoped ReadOnlySpan<byte> value)
    {
        _span[Written++] = (byte)'"';
        Written += JsonText.Escape(value, _span[Written..]);
        _span[Written++] = (byte)'"';
    }
}
