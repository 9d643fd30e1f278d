using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace PgAuditFirehose.PgAudit;

/// <summary>Turns the prefix's <c>%t</c>, <c>%m</c> or <c>%n</c> text into ISO 8601 UTC.</summary>
internal static class LogTimestamp
{
    /// <summary>Longest output: <c>2022-03-25T13:52:29.123Z</c>.</summary>
    public const int MaxIsoLength = 24;

    // Abbreviations pg_strftime writes for common zones; ambiguous ones (IST, CST in Asia) are left out.
    private static readonly Dictionary<string, int> ZoneMinutes = new(StringComparer.Ordinal)
    {
        ["UTC"] = 0, ["GMT"] = 0, ["UCT"] = 0, ["Z"] = 0, ["WET"] = 0, ["WEST"] = 60, ["BST"] = 60,
        ["CET"] = 60, ["CEST"] = 120, ["MET"] = 60, ["MEST"] = 120, ["EET"] = 120, ["EEST"] = 180, ["MSK"] = 180,
        ["EST"] = -300, ["EDT"] = -240, ["CST"] = -360, ["CDT"] = -300, ["MST"] = -420, ["MDT"] = -360,
        ["PST"] = -480, ["PDT"] = -420, ["AKST"] = -540, ["AKDT"] = -480, ["HST"] = -600,
        ["JST"] = 540, ["KST"] = 540, ["AEST"] = 600, ["AEDT"] = 660, ["ACST"] = 570, ["AWST"] = 480,
        ["NZST"] = 720, ["NZDT"] = 780,
    };

    /// <summary>Writes ISO 8601 UTC into <paramref name="destination"/>; returns null or the reason it cannot.</summary>
    public static string? TryFormatIso(ReadOnlySpan<byte> text, PrefixEscape kind, Span<byte> destination, out int written)
    {
        written = 0;
        if (kind == PrefixEscape.EpochMillis) return FormatEpoch(text, destination, out written);

        var millis = kind == PrefixEscape.TimeMillis;
        var clock = text[..(millis ? 23 : 19)];
        var zone = text[(clock.Length + 1)..];
        var offset = ZoneOffsetMinutes(zone);
        if (offset is null)
        {
            return $"time zone '{Encoding.UTF8.GetString(zone)}' is not known; set log_timezone = 'UTC' on the server";
        }

        if (offset == 0)
        {
            // The common case (RDS logs in UTC): rearrange the bytes, no calendar arithmetic.
            clock.CopyTo(destination);
            destination[10] = (byte)'T';
            destination[clock.Length] = (byte)'Z';
            written = clock.Length + 1;
            return null;
        }

        if (!DateTime.TryParseExact(Encoding.ASCII.GetString(clock), millis ? "yyyy-MM-dd HH:mm:ss.fff" : "yyyy-MM-dd HH:mm:ss",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return $"'{Encoding.ASCII.GetString(clock)}' is not a valid date and time";
        }

        return Write(local.AddMinutes(-offset.Value), millis, destination, out written);
    }

    private static int? ZoneOffsetMinutes(ReadOnlySpan<byte> zone)
    {
        if (zone.SequenceEqual("UTC"u8)) return 0;
        if (zone[0] is (byte)'+' or (byte)'-')
        {
            // Numeric zones: +03, -0530.
            var digits = zone[1..];
            if (digits.Length is not (2 or 4) || PrefixShapes.CountDigits(digits) != digits.Length) return null;
            var minutes = ((digits[0] - '0') * 10 + digits[1] - '0') * 60 + (digits.Length == 4 ? (digits[2] - '0') * 10 + digits[3] - '0' : 0);
            return zone[0] == (byte)'-' ? -minutes : minutes;
        }

        return ZoneMinutes.TryGetValue(Encoding.ASCII.GetString(zone), out var known) ? known : null;
    }

    private static string? FormatEpoch(ReadOnlySpan<byte> text, Span<byte> destination, out int written)
    {
        written = 0;
        var dot = text.IndexOf((byte)'.');
        if (!Utf8Parser.TryParse(text[..dot], out long seconds, out _) || !Utf8Parser.TryParse(text.Slice(dot + 1, 3), out int ms, out _) ||
            seconds > 253402300799)
        {
            return $"'{Encoding.ASCII.GetString(text)}' is not a valid epoch time";
        }

        return Write(DateTime.UnixEpoch.AddSeconds(seconds).AddMilliseconds(ms), millis: true, destination, out written);
    }

    private static string? Write(DateTime utc, bool millis, Span<byte> destination, out int written)
    {
        var format = millis ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'";
        return utc.TryFormat(destination, out written, format, CultureInfo.InvariantCulture) ? null : "timestamp does not fit";
    }
}
