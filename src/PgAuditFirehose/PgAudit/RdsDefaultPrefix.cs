using System.Runtime.CompilerServices;

namespace PgAuditFirehose.PgAudit;

/// <summary>
/// The RDS and Aurora default <c>log_line_prefix</c>, <c>%t:%r:%u@%d:[%p]:</c>, matched without the
/// general matcher's search: its tail <c>:[pid]:</c> can end the text in one place only (the digits
/// hold neither bracket), so the greedy choices for user and database each come from one look. It gives
/// what <see cref="LogLinePrefix"/>'s general matcher gives, or declines and leaves the text to it.
/// </summary>
internal static class RdsDefaultPrefix
{
    // int.MaxValue has ten digits: a pid of nine always fits, a longer one is the general matcher's to judge.
    private const int MaxPidDigits = 9;

    /// <summary>Sets <paramref name="fields"/> and returns true, or returns false and leaves them alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryMatch(ReadOnlySpan<byte> text, ref PrefixFields fields)
    {
        var time = PrefixShapes.MeasureTimestamp(text, millis: false);
        if (time < 0 || time == text.Length || text[time] != (byte)':') return false;
        var rest = text[(time + 1)..];

        var close = rest.Length - 2;
        if (close < 2 || rest[close] != (byte)']' || rest[close + 1] != (byte)':') return false;
        var digits = close;
        while (digits > 0 && char.IsAsciiDigit((char)rest[digits - 1])) digits--;
        if (close - digits is 0 or > MaxPidDigits || digits < 2 || rest[digits - 1] != (byte)'[' || rest[digits - 2] != (byte)':') return false;
        var tail = digits - 2;

        // The user is the longest text that leaves a database: up to the last '@' before the tail.
        var at = rest[..tail].LastIndexOf((byte)'@');
        if (at < 0) return false;

        // The host as the general matcher picks it: the last ':' within a host's reach whose text before
        // it is a host(port) and after which that '@' still comes.
        var end = Math.Min(rest.Length, PrefixShapes.MaxHostLength(PrefixEscape.RemoteHostPort, rest) + 1);
        while (true)
        {
            var colon = rest[..end].LastIndexOf((byte)':');
            if (colon < 0) return false;
            if (colon < at && PrefixShapes.TrySplitHostPort(rest[..colon], out var host, out var port))
            {
                fields.Time = text[..time];
                fields.TimeKind = PrefixEscape.Time;
                fields.RemoteHost = host;
                fields.RemotePort = port;
                fields.User = rest[(colon + 1)..at];
                fields.Database = rest[(at + 1)..tail];
                var pid = rest[digits..close];
                fields.ProcessId = ParseDigits(pid);
                fields.ProcessIdDigits = PrefixShapes.IsShortestDigits(pid) ? pid : default;
                return true;
            }

            end = colon;
        }
    }

    private static int ParseDigits(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits) value = (value * 10) + (d - '0');
        return value;
    }
}
