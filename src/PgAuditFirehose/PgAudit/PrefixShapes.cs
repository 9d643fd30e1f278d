using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PgAuditFirehose.PgAudit;

/// <summary>The shapes of the prefix escapes whose text PostgreSQL formats itself.</summary>
internal static class PrefixShapes
{
    private static ReadOnlySpan<byte> Local => "[local]"u8;

    // YYYY-MM-DD HH:MM:SS, a '0' standing for any digit.
    private static ReadOnlySpan<byte> DateTimePattern => "0000-00-00 00:00:00"u8;

    /// <summary>Length of the escape's text at the start of <paramref name="text"/>, or -1.</summary>
    public static int Measure(PrefixEscape escape, ReadOnlySpan<byte> text) => escape switch
    {
        PrefixEscape.Time or PrefixEscape.SessionStart => MeasureTimestamp(text, millis: false),
        PrefixEscape.TimeMillis => MeasureTimestamp(text, millis: true),
        PrefixEscape.EpochMillis => MeasureEpoch(text),
        PrefixEscape.ProcessId => AtLeastOne(CountDigits(text)),
        PrefixEscape.OtherNumber => MeasureSignedNumber(text),
        PrefixEscape.SqlState => text.Length >= 5 && IsSqlState(text[..5]) ? 5 : -1,
        PrefixEscape.SessionId => MeasureSessionId(text),
        PrefixEscape.VirtualXid => MeasureVirtualXid(text),
        _ => -1,
    };

    /// <summary>
    /// The most bytes PostgreSQL writes for an escape: names are cut to NAMEDATALEN - 1 (63) bytes, and
    /// 252 when PostgreSQL 16 writes a non-ASCII application name as \xHH; a host name to
    /// NI_MAXHOST - 1 (1024); numbers to 64 bits; a zone abbreviation is given 32. A head longer than its
    /// segments' sum is no server's, which bounds the matcher's work per entry.
    /// </summary>
    public static int MaxLength(PrefixEscape escape) => escape switch
    {
        PrefixEscape.Time or PrefixEscape.SessionStart => 19 + 1 + MaxZoneLength,
        PrefixEscape.TimeMillis => 23 + 1 + MaxZoneLength,
        PrefixEscape.EpochMillis => 20 + 4,
        PrefixEscape.RemoteHostPort => MaxHostNameLength + "(65535)".Length,
        PrefixEscape.RemoteHost => MaxHostNameLength,
        PrefixEscape.User or PrefixEscape.Database => MaxNameLength,
        PrefixEscape.ProcessId => 10,
        PrefixEscape.OtherText => 4 * MaxNameLength,
        PrefixEscape.OtherNumber => 20,
        PrefixEscape.SqlState => 5,
        PrefixEscape.SessionId => 16 + 1 + 16,
        PrefixEscape.VirtualXid => 20 + 1 + 20,
        _ => 0,
    };

    private const int MaxNameLength = 63;
    private const int MaxHostNameLength = 1024;
    private const int MaxZoneLength = 32;

    /// <summary><c>YYYY-MM-DD HH:MM:SS[.mmm] ZONE</c>, the zone an abbreviation or a numeric offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MeasureTimestamp(ReadOnlySpan<byte> text, bool millis)
    {
        var length = millis ? 23 : 19;
        if (text.Length < length + 2 || !IsDateTime(text[..19])) return -1;
        if (millis && (text[19] != (byte)'.' || CountDigits(text[20..23]) != 3)) return -1;
        if (text[length] != (byte)' ') return -1;
        var zone = IsUtc(text[(length + 1)..]) ? 3 : CountZoneChars(text[(length + 1)..]);
        return zone == 0 ? -1 : length + 1 + zone;
    }

    public static bool IsDateTime(ReadOnlySpan<byte> t)
    {
        if (t.Length != DateTimePattern.Length) return false;
        if (Vector128.IsHardwareAccelerated)
        {
            // Two overlapping blocks (bytes 0-15 and 3-18) less the pattern: a digit leaves 0-9 (unsigned),
            // a separator exactly 0, so one compare against those limits checks 16 bytes.
            ref var at = ref MemoryMarshal.GetReference(t);
            var head = Vector128.LoadUnsafe(ref at) - Vector128.Create("0000-00-00 00:00"u8);
            var headLimits = Vector128.Create((byte)9, 9, 9, 9, 0, 9, 9, 0, 9, 9, 0, 9, 9, 0, 9, 9);
            var tail = Vector128.LoadUnsafe(ref at, 3) - Vector128.Create("0-00-00 00:00:00"u8);
            var tailLimits = Vector128.Create((byte)9, 0, 9, 9, 0, 9, 9, 0, 9, 9, 0, 9, 9, 0, 9, 9);
            return Vector128.LessThanOrEqualAll(head, headLimits) && Vector128.LessThanOrEqualAll(tail, tailLimits);
        }

        for (var i = 0; i < t.Length; i++)
        {
            var expected = DateTimePattern[i];
            if (expected == (byte)'0' ? !char.IsAsciiDigit((char)t[i]) : t[i] != expected) return false;
        }

        return true;
    }

    /// <summary>Splits <c>%r</c>: <c>host(port)</c>, <c>[local]</c>, or empty (background processes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TrySplitHostPort(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> host, out int? port)
    {
        host = default;
        port = null;
        if (value.IsEmpty) return true;
        if (value.SequenceEqual(Local))
        {
            host = value;
            return true;
        }

        var open = value.LastIndexOf((byte)'(');
        if (open <= 0 || value[^1] != (byte)')') return false;
        var digits = value[(open + 1)..^1];
        if (!IsHost(value[..open]) || !Utf8Parser.TryParse(digits, out int p, out var used) || used != digits.Length) return false;
        host = value[..open];
        port = p;
        return true;
    }

    /// <summary>An IP address (IPv6 too, with a zone) or a host name; <c>[local]</c>; or empty.</summary>
    public static bool IsHost(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.SequenceEqual(Local)) return true;
        foreach (var b in value)
        {
            if (!IsHostChar(b)) return false;
        }

        return true;
    }

    /// <summary>
    /// The longest value <c>%h</c> or <c>%r</c> can have at the start of <paramref name="text"/>: a run of
    /// host characters, for <c>%r</c> with its <c>(port)</c>, or <c>[local]</c>. No longer text passes
    /// <see cref="IsHost"/> or <see cref="TrySplitHostPort"/>, so a matcher need not look further.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MaxHostLength(PrefixEscape escape, ReadOnlySpan<byte> text)
    {
        var n = 0;
        while (n < text.Length && IsHostChar(text[n])) n++;
        if (escape == PrefixEscape.RemoteHostPort && n < text.Length && text[n] == (byte)'(')
        {
            var close = text[(n + 1)..].IndexOf((byte)')');
            if (close >= 0) n += close + 2;
        }

        return text.StartsWith(Local) ? Math.Max(n, Local.Length) : n;
    }

    // A table, not the tests: every byte of every host goes through it twice a line.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsHostChar(byte b) => HostChars[b] != 0;

    // 1 for the letters, digits and . : - _ % of a host name or address (an IPv6 zone's % too).
    private static ReadOnlySpan<byte> HostChars =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    public static int CountDigits(ReadOnlySpan<byte> text)
    {
        var n = 0;
        while (n < text.Length && char.IsAsciiDigit((char)text[n])) n++;
        return n;
    }

    /// <summary>
    /// Digits a number parsed from (so digits, perhaps after a sign) are its shortest form, which a writer
    /// may copy rather than format, when they start with neither a zero nor a sign (a lone 0 aside).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsShortestDigits(ReadOnlySpan<byte> digits) =>
        digits.Length == 1 ? char.IsAsciiDigit((char)digits[0]) : digits.Length > 1 && digits[0] is > (byte)'0' and <= (byte)'9';

    private static int AtLeastOne(int n) => n > 0 ? n : -1;

    // UTC, which RDS and Aurora always log in, without CountZoneChars' loop: "UTC" and then no zone character.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsUtc(ReadOnlySpan<byte> text) =>
        text.Length > 3 && text[0] == (byte)'U' && text[1] == (byte)'T' && text[2] == (byte)'C' && !IsZoneChar(text[3]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsZoneChar(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'-';

    // Zone abbreviations (UTC, CEST) and numeric zones (+03, -0530) as pg_strftime's %Z writes them.
    private static int CountZoneChars(ReadOnlySpan<byte> text)
    {
        var n = 0;
        while (n < text.Length && IsZoneChar(text[n])) n++;
        return n;
    }

    private static int MeasureEpoch(ReadOnlySpan<byte> text)
    {
        var seconds = CountDigits(text);
        if (seconds == 0 || seconds + 4 > text.Length || text[seconds] != (byte)'.') return -1;
        return CountDigits(text[(seconds + 1)..]) >= 3 ? seconds + 4 : -1;
    }

    private static int MeasureSignedNumber(ReadOnlySpan<byte> text)
    {
        var sign = !text.IsEmpty && text[0] == (byte)'-' ? 1 : 0;
        return sign + CountDigits(text[sign..]);
    }

    private static bool IsSqlState(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (!(char.IsAsciiDigit((char)b) || char.IsAsciiLetterUpper((char)b))) return false;
        }

        return true;
    }

    private static int MeasureSessionId(ReadOnlySpan<byte> text)
    {
        var first = CountHex(text);
        if (first == 0 || first >= text.Length || text[first] != (byte)'.') return -1;
        var second = CountHex(text[(first + 1)..]);
        return second == 0 ? -1 : first + 1 + second;
    }

    private static int CountHex(ReadOnlySpan<byte> text)
    {
        var n = 0;
        while (n < text.Length && char.IsAsciiHexDigit((char)text[n])) n++;
        return n;
    }

    private static int MeasureVirtualXid(ReadOnlySpan<byte> text)
    {
        var first = CountDigits(text);
        if (first == 0 || first >= text.Length || text[first] != (byte)'/') return 0;
        var second = CountDigits(text[(first + 1)..]);
        return second == 0 ? 0 : first + 1 + second;
    }
}
