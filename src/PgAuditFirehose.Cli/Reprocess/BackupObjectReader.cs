using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace PgAuditFirehose.Cli.Reprocess;

/// <summary>
/// Cuts a Firehose source-backup object into its source records. Firehose concatenates the records it got,
/// without delimiters; a CloudWatch Logs record is one gzip member, so the object is concatenated gzip
/// members (gzip'd once more when the backup's CompressionFormat is GZIP). A member ends where its deflate
/// stream and trailer end; bytes that are no member become one record up to where the next member starts,
/// which the transformation then fails with its reason, as the function would.
/// </summary>
internal static class BackupObjectReader
{
    private static readonly byte[] GzipMagic = [0x1f, 0x8b, 0x08];

    // A member's compressed bytes may hold the magic by chance; past this many false starts the bytes are corrupt.
    private const int MaxCandidates = 64;

    // Header (10) + empty deflate (2) + trailer (8).
    private const int MinMemberLength = 20;

    public static IEnumerable<SourceRecord> Read(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var data = Unwrapped(content);
        var sink = new byte[64 * 1024];
        var start = 0;
        var number = 0;
        while (start < data.Length)
        {
            var end = RecordEnd(data, start, sink);
            yield return new SourceRecord(++number, start, data.AsMemory(start, end - start));
            start = end;
        }
    }

    /// <summary>The object's bytes, or their inflated form when the whole object is gzip'd once more.</summary>
    private static byte[] Unwrapped(byte[] content)
    {
        if (!IsMagicAt(content, 0)) return content;
        Span<byte> first = stackalloc byte[2];
        try
        {
            using var peek = new GZipStream(new MemoryStream(content, writable: false), CompressionMode.Decompress);
            if (peek.ReadAtLeast(first, 2, throwOnEndOfStream: false) < 2 || first[0] != 0x1f || first[1] != 0x8b) return content;
            using var all = new GZipStream(new MemoryStream(content, writable: false), CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            all.CopyTo(inflated);
            return inflated.ToArray();
        }
        catch (InvalidDataException)
        {
            // The first record is corrupt: the records themselves are at hand, and the cut reports it.
            return content;
        }
    }

    /// <summary>Where the record that starts at <paramref name="start"/> ends: after the gzip member there, else at the next member's start.</summary>
    /// <param name="sink">Where inflated bytes go to be counted and checksummed; its content is not used.</param>
    private static int RecordEnd(byte[] data, int start, byte[] sink)
    {
        var firstCandidate = -1;
        var tries = 0;
        for (var candidate = NextMagic(data, start + 1); ; candidate = NextMagic(data, candidate + 1))
        {
            var end = candidate < 0 ? data.Length : candidate;
            if (firstCandidate < 0) firstCandidate = end;
            var memberEnd = MemberEnd(data, start, end, sink, out var corrupt);
            if (memberEnd > 0) return memberEnd;
            if (corrupt) return firstCandidate;

            // Cut short: the member goes on past this magic, which lies inside its compressed bytes.
            if (candidate < 0 || ++tries >= MaxCandidates) return firstCandidate;
        }
    }

    /// <summary>
    /// Where the gzip member at <paramref name="start"/> ends within data[start..end): after the trailer
    /// (CRC-32 and ISIZE) of what inflated; 0 when it is cut short at <paramref name="end"/>, or corrupt.
    /// </summary>
    private static int MemberEnd(byte[] data, int start, int end, byte[] sink, out bool corrupt)
    {
        corrupt = !IsMagicAt(data, start);
        if (corrupt || end - start < MinMemberLength) return 0;
        var crc = new Crc32();
        long total = 0;
        try
        {
            // GZipStream checks the CRC where the member ends; cut short, or followed by bytes that are no
            // member, it just stops: the trailer of what it inflated says where the member ended, if it did.
            using var gzip = new GZipStream(new MemoryStream(data, start, end - start, writable: false), CompressionMode.Decompress);
            int read;
            while ((read = gzip.Read(sink)) > 0)
            {
                crc.Append(sink.AsSpan(0, read));
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            corrupt = true;
            return 0;
        }

        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)total));
        var at = data.AsSpan(start + MinMemberLength - 8, end - start - MinMemberLength + 8).IndexOf(trailer);
        return at < 0 ? 0 : start + MinMemberLength + at;
    }

    private static int NextMagic(byte[] data, int from)
    {
        if (from >= data.Length) return -1;
        var at = data.AsSpan(from).IndexOf(GzipMagic);
        return at < 0 ? -1 : from + at;
    }

    private static bool IsMagicAt(byte[] data, int at) => data.Length - at >= 3 && data.AsSpan(at, 3).SequenceEqual(GzipMagic);
}
