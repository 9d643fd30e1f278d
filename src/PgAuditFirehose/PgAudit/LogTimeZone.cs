using System.Globalization;

namespace PgAuditFirehose.PgAudit;

/// <summary>
/// The server's <c>log_timezone</c> (<c>LOG_TIMEZONE</c>): the zone whose rules turn a line's local time and
/// abbreviation into UTC. An abbreviation is read only as one this zone uses, never on its own: <c>CST</c>
/// in Asia/Shanghai is UTC+8, in America/Chicago UTC-6, and in a zone that does not use it an error.
/// </summary>
public sealed class LogTimeZone
{
    /// <summary>UTC, what RDS and Aurora always log in: needs no zone data.</summary>
    public static readonly LogTimeZone Utc = new("UTC", TimeZoneInfo.Utc, [("UTC", 0)]);

    private readonly (string Abbreviation, int OffsetSeconds)[] _abbreviations;

    private LogTimeZone(string id, TimeZoneInfo zone, (string, int)[] abbreviations)
    {
        Id = id;
        Zone = zone;
        _abbreviations = abbreviations;
    }

    /// <summary>The IANA name, e.g. <c>Asia/Shanghai</c>.</summary>
    public string Id { get; }

    internal TimeZoneInfo Zone { get; }

    /// <summary>True for UTC: a line's <c>UTC</c> time is then taken as it is, with no calendar arithmetic.</summary>
    public bool IsUtc => ReferenceEquals(this, Utc);

    /// <summary>
    /// The zone named <paramref name="id"/> (an IANA name) from the machine's time zone database
    /// (<c>TZDIR</c>, else <c>/usr/share/zoneinfo</c>). Throws <see cref="FormatException"/> saying why not.
    /// </summary>
    public static LogTimeZone Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        id = id.Trim();
        if (id is "UTC" or "Etc/UTC") return Utc;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId)
        {
            throw new FormatException(System.IO.Directory.Exists(TzifAbbreviations.Directory)
                ? $"'{id}' is not a time zone of the IANA database in {TzifAbbreviations.Directory}: use a name such as 'Asia/Shanghai' or 'America/Chicago' (the server's SHOW log_timezone)"
                : $"'{id}' cannot be looked up: this machine has no time zone database ({TzifAbbreviations.Directory} does not exist; set TZDIR to one, see docs/time-zones.md)");
        }

        IReadOnlyList<(string, int)>? pairs;
        try
        {
            pairs = TzifAbbreviations.ReadZone(id);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"'{id}': its file in {TzifAbbreviations.Directory} cannot be read: {e.Message}", e);
        }

        return pairs is null
            ? throw new FormatException($"'{id}': no file for it in {TzifAbbreviations.Directory}")
            : new LogTimeZone(id, zone, [.. pairs]);
    }

    /// <summary>
    /// Converts <paramref name="local"/>, written with zone abbreviation <paramref name="abbreviation"/>, to UTC
    /// by this zone's rules; returns null or why it cannot: the abbreviation is not this zone's at that time,
    /// or the time is in an hour that repeats and the abbreviation does not tell which.
    /// </summary>
    internal string? TryToUtc(DateTime local, string abbreviation, out DateTime utc)
    {
        utc = default;
        var matches = 0;
        var known = false;
        foreach (var (name, offsetSeconds) in _abbreviations)
        {
            if (name != abbreviation) continue;
            known = true;
            var offset = TimeSpan.FromSeconds(offsetSeconds);
            var candidate = local - offset;
            if (candidate < DateTime.MinValue + TimeSpan.FromDays(1) || candidate > DateTime.MaxValue - TimeSpan.FromDays(1)) continue;
            // The zone's own rules must give this offset at that instant: that rejects an abbreviation the
            // zone used in another period, or a time that does not exist (the hour skipped when DST starts).
            if (Zone.GetUtcOffset(DateTime.SpecifyKind(candidate, DateTimeKind.Utc)) != offset) continue;
            if (matches++ == 0) utc = DateTime.SpecifyKind(candidate, DateTimeKind.Utc);
            else if (candidate != utc) return $"'{Clock(local)} {abbreviation}' happened twice in {Id} (the hour repeated when its offset changed) and the abbreviation does not tell which: log_time is left empty";
        }

        if (matches > 0) return null;
        return known
            ? $"'{Clock(local)} {abbreviation}' is not a time {Id} (LOG_TIMEZONE) ever showed: set LOG_TIMEZONE to the server's log_timezone"
            : Foreign(abbreviation);
    }

    // What to say of an abbreviation this zone never uses: it belongs to another zone, maybe to several.
    private string Foreign(string abbreviation)
    {
        var stated = $"time zone '{abbreviation}' is not one {Id} (LOG_TIMEZONE) uses";
        if (!AmbiguousAbbreviations.Offsets.TryGetValue(abbreviation, out var offsets))
        {
            return $"{stated}: set LOG_TIMEZONE (--log-timezone) to the server's log_timezone (SHOW log_timezone)";
        }

        var meanings = string.Join(", ", offsets.Select(o => $"UTC{Offset(o.OffsetSeconds)} ({o.Zone})"));
        return $"{stated}, and '{abbreviation}' alone is ambiguous ({meanings}): set LOG_TIMEZONE (--log-timezone) to the server's log_timezone (SHOW log_timezone)";
    }

    private static string Clock(DateTime local) => local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Offset(int seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Abs(seconds));
        var text = span.Seconds == 0 ? span.ToString(@"hh\:mm", CultureInfo.InvariantCulture) : span.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        return (seconds < 0 ? "-" : "+") + text;
    }

    public override string ToString() => Id;
}
