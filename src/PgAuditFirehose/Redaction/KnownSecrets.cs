namespace PgAuditFirehose.Redaction;

/// <summary>
/// The secret texts found in one record's statement and parameters, to be taken out of its other
/// columns too (an error message quotes the statement's token: <c>at or near "'S3cret"</c>).
/// Short texts (under four bytes) are left out: they would match everywhere and hide nothing.
/// </summary>
internal sealed class KnownSecrets
{
    public const int MinLength = 4;

    private byte[] _bytes = new byte[256];
    private int[] _ends = new int[8];
    private int _length;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int index] => _bytes.AsSpan(index == 0 ? 0 : _ends[index - 1], _ends[index] - (index == 0 ? 0 : _ends[index - 1]));

    public void Clear()
    {
        Count = 0;
        _length = 0;
    }

    /// <summary>Adds the text, and when it is quoted ('x', "x", $$x$$ or E'x'), what lies inside the quotes as well.</summary>
    public void Add(ReadOnlySpan<byte> secret)
    {
        AddOne(secret);
        var inner = secret.TrimStart("EeUu&"u8);
        if (inner.Length >= 2 && inner[0] is (byte)'\'' or (byte)'"' or (byte)'$') AddOne(inner.Trim(inner[0] == '$' ? "$"u8 : inner[..1]));
    }

    private void AddOne(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinLength) return;
        if (_bytes.Length - _length < secret.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + secret.Length));
        if (Count == _ends.Length) Array.Resize(ref _ends, Count * 2);
        secret.CopyTo(_bytes.AsSpan(_length));
        _length += secret.Length;
        _ends[Count++] = _length;
    }
}
