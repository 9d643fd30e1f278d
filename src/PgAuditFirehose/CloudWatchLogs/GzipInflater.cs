using System.Buffers.Binary;
using System.IO.Compression;

namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>Inflates one gzip member with a cap, and notices truncation that GZipStream lets pass.</summary>
internal sealed class GzipInflater(int maxInflatedBytes)
{
    private const int InitialSize = 256 * 1024;

    // Bigger buffers are sized to each record (and so let go of) rather than kept at their largest.
    private const int KeptSize = 4 * 1024 * 1024;

    private byte[] _buffer = new byte[InitialSize];

    public int MaxInflatedBytes { get; } = maxInflatedBytes;

    /// <summary>The buffer the last inflated bytes sit in, from its start; valid until the next call.</summary>
    public byte[] Buffer => _buffer;

    public static bool IsGzip(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b;

    /// <summary>Returns null and the inflated bytes, or the reason it could not.</summary>
    public string? TryInflate(byte[] data, int length, out ReadOnlyMemory<byte> inflated)
    {
        inflated = default;
        var total = 0;
        Size(data, length);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(data, 0, length, writable: false), CompressionMode.Decompress);
            while (true)
            {
                if (total == _buffer.Length)
                {
                    Array.Resize(ref _buffer, (int)Math.Min((long)MaxInflatedBytes + 1, _buffer.Length * 2L));
                }

                // Reading one byte past the cap is how an over-long stream shows itself.

                var read = gzip.Read(_buffer, total, Math.Min(_buffer.Length, MaxInflatedBytes + 1) - total);
                if (read == 0) break;
                total += read;
                if (total > MaxInflatedBytes)
                {
                    return $"gzip data inflates to more than the cap of {MaxInflatedBytes} bytes, which the function's memory allows " +
                        "(AWS_LAMBDA_FUNCTION_MEMORY_SIZE; MAX_INFLATED_BYTES sets it outright)";
                }
            }
        }
        catch (InvalidDataException e)
        {
            return $"gzip data is corrupt: {e.Message}";
        }

        // GZipStream returns what it could for a cut-off stream; the trailer's ISIZE (length mod 2^32) tells.
        if (length < 18 || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(length - 4, 4)) != unchecked((uint)total))
        {
            return $"gzip data is truncated ({length} compressed bytes inflated to {total} bytes without a matching trailer)";
        }

        inflated = _buffer.AsMemory(0, total);
        return null;
    }

    // The trailer's ISIZE says how much the data inflates to: room for that (one byte over, as the cap is
    // checked), not the doubling's up to twice as much and a copy; a trailer that lies costs a resize.
    private void Size(byte[] data, int length)
    {
        if (length < 18) return;
        var expected = Math.Min((long)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(length - 4, 4)), MaxInflatedBytes) + 1;
        if (_buffer.Length >= expected && (_buffer.Length <= KeptSize || _buffer.Length <= 2 * expected)) return;
        _buffer = null!;
        _buffer = GC.AllocateUninitializedArray<byte>((int)Math.Max(expected, InitialSize));
    }
}
