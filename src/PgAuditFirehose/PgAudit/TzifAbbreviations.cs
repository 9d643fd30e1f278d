using System.Buffers.Binary;
using System.Text;

namespace PgAuditFirehose.PgAudit;

/// <summary>
/// The abbreviations a zone of the IANA time zone database has used (CST, CDT, ...) and the UTC offset of
/// each, read from its compiled TZif file (RFC 8536), the file PostgreSQL's own copy of the database and
/// .NET's TimeZoneInfo read too. TimeZoneInfo gives the offsets but not the abbreviations a log line carries.
/// </summary>
internal static class TzifAbbreviations
{
    private const int HeaderLength = 44;

    /// <summary>The directory .NET reads zones from: <c>TZDIR</c>, else <c>/usr/share/zoneinfo</c>.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } dir ? dir : "/usr/share/zoneinfo";

    /// <summary>Each (abbreviation, offset in seconds) pair the file's local time types hold, once.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a TZif file.</exception>
    public static IReadOnlyList<(string Abbreviation, int OffsetSeconds)> Read(ReadOnlySpan<byte> tzif)
    {
        if (tzif.Length < HeaderLength || !tzif.StartsWith("TZif"u8)) throw new InvalidDataException("not a TZif file");
        var version = tzif[4];
        var block = tzif;
        var timeSize = 4;
        if (version >= (byte)'2')
        {
            // Version 2 and later repeat the data with 64-bit times after the version 1 block, which may be empty.
            block = tzif[(HeaderLength + DataLength(tzif, 4))..];
            timeSize = 8;
            if (block.Length < HeaderLength || !block.StartsWith("TZif"u8)) throw new InvalidDataException("TZif: no second header");
        }

        var timeCount = Count(block, 3);
        var typeCount = Count(block, 4);
        var charCount = Count(block, 5);
        var types = HeaderLength + timeCount * (timeSize + 1);
        var chars = types + typeCount * 6;
        if (typeCount == 0 || block.Length < chars + charCount) throw new InvalidDataException("TZif: truncated");

        var pairs = new List<(string, int)>(typeCount);
        for (var t = 0; t < typeCount; t++)
        {
            var info = block.Slice(types + t * 6, 6);
            var offset = BinaryPrimitives.ReadInt32BigEndian(info);
            var index = info[5];
            if (index >= charCount) throw new InvalidDataException("TZif: abbreviation index out of range");
            var text = block.Slice(chars + index, charCount - index);
            var end = text.IndexOf((byte)0);
            var pair = (Encoding.ASCII.GetString(end < 0 ? text : text[..end]), offset);
            if (!pairs.Contains(pair)) pairs.Add(pair);
        }

        return pairs;
    }

    /// <summary>The zone's pairs from <see cref="Directory"/>; null when there is no such file.</summary>
    public static IReadOnlyList<(string Abbreviation, int OffsetSeconds)>? ReadZone(string id)
    {
        // An IANA name is a relative path of letters, digits and + - _ /; nothing that climbs out of the directory.
        if (id.Length == 0 || id.StartsWith('/') || id.Contains("..", StringComparison.Ordinal)) return null;
        var path = Path.Combine(Directory, id);
        if (!File.Exists(path)) return null;
        return Read(File.ReadAllBytes(path));
    }

    private static int Count(ReadOnlySpan<byte> header, int index) =>
        checked((int)BinaryPrimitives.ReadUInt32BigEndian(header.Slice(20 + index * 4, 4)));

    // The length of the version 1 data block that follows the header.
    private static int DataLength(ReadOnlySpan<byte> header, int timeSize)
    {
        int isUt = Count(header, 0), isStd = Count(header, 1), leap = Count(header, 2), time = Count(header, 3), type = Count(header, 4), chars = Count(header, 5);
        return time * (timeSize + 1) + type * 6 + chars + leap * (timeSize + 4) + isStd + isUt;
    }
}
