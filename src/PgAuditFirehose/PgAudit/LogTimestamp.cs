using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace PgAuditFirehose.PgAudit;

/// <summary>Turns the prefix's <c>%t</c>, <c>%m</c> or <c>%n</c> text into ISO 8601 UTC.</summary>
internal static class LogTimestamp
{
    /// <summary>Longest output: <c>2022-03-25T13:52:29.123Z</c>.</summary>
    public const int MaxIsoLength = 24;

    /// <summary>
    /// Writes ISO 8601 UTC into <paramref name="destination"/>; returns null or the reason it cannot. A numeric
    /// zone (+08, -0530) is exact; an abbreviation is read as one <paramref name="zone"/> uses, by its rules.
    /// </summary>
    public static string? TryFormatIso(ReadOnlySpan<byte> text, PrefixEscape kind, LogTimeZone zone, Span<byte> destination, out int written)
    {
        written = 0;
        if (kind == PrefixEscape.EpochMillis) return FormatEpoch(text, destination, out written);

        var millis = kind == PrefixEscape.TimeMillis;
        var clock = text[..(millis ? 23 : 19)];
        var zoneText = text[(clock.Length + 1)..];
        if (zone.IsUtc && zoneText.SequenceEqual("UTC"u8))
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

        DateTime utc;
        if (zoneText[0] is (byte)'+' or (byte)'-')
        {
            var offset = NumericOffsetMinutes(zoneText);
            if (offset is null) return $"time zone '{Encoding.ASCII.GetString(zoneText)}' is not a numeric offset (+HH, +HHMM)";
            utc = local.AddMinutes(-offset.Value);
        }
        else
        {
            var error = zone.TryToUtc(local, Encoding.ASCII.GetString(zoneText), out utc);
            if (error is not null) return error;
        }

        return Write(utc, millis, destination, out written);
    }

    // Numeric zones, as pg_strftime writes a zone without an abbreviation: +03, -0530.
    private static int? NumericOffsetMinutes(ReadOnlySpan<byte> zone)
    {
        var digits = zone[1..];
        if (digits.Length is not (2 or 4) || PrefixShapes.CountDigits(digits) != digits.Length) return null;
        var minutes = ((digits[0] - '0') * 10 + digits[1] - '0') * 60 + (digits.Length == 4 ? (digits[2] - '0') * 10 + digits[3] - '0' : 0);
        return zone[0] == (byte)'-' ? -minutes : minutes;
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
