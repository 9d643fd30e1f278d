using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace PgAuditFirehose.PgAudit;

/// <summary>
/// A PostgreSQL <c>log_line_prefix</c>, compiled into a matcher for the text before the severity.
/// Names (user, database, application) may contain the prefix's own separators; when a split is
/// ambiguous the earlier field takes the longest text that still lets the rest match, like a
/// greedy regular expression: <c>a@b@c</c> is user <c>a@b</c>, database <c>c</c>. The work per head
/// is bounded: a head longer than the prefix can produce (<see cref="MaxHeadLength"/>) is refused at
/// once, a free-text field is looked for only within its longest value, and a field's place in the head
/// that failed once is not tried again.
/// </summary>
public sealed class LogLinePrefix
{
    /// <summary>The RDS and Aurora PostgreSQL default.</summary>
    public const string RdsDefault = "%t:%r:%u@%d:[%p]:";

    private readonly PrefixSegment[] _segments;

    private readonly bool _isRdsDefault;

    // Each free-text segment's number among them (else -1): with a place in the head, the key of a failed try.
    private readonly int[] _freeTextOrdinal;
    private readonly int _freeTextCount;

    private LogLinePrefix(string format, PrefixSegment[] segments)
    {
        Format = format;
        _segments = segments;
        _isRdsDefault = format == RdsDefault;
        _freeTextOrdinal = new int[segments.Length];
        for (var i = 0; i < segments.Length; i++) _freeTextOrdinal[i] = segments[i].IsFreeText ? _freeTextCount++ : -1;
        MaxHeadLength = segments.Sum(s => s.MaxLength);
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            if (segments[i].IsFreeText) StepsPerHeadByte += 3L * (segments[i].MaxLength + segments[i + 1].Literal.Length + 1);
        }
    }

    public string Format { get; }

    /// <summary>The most bytes a server writes before the severity with this prefix; a longer head is no match.</summary>
    public int MaxHeadLength { get; }

    /// <summary>
    /// The bound on <see cref="PrefixFields.Steps"/> per byte of head (plus one): each free-text field is
    /// tried at most once per place, and there reads at most its window (a host's twice), trying each end found once.
    /// </summary>
    internal long StepsPerHeadByte { get; }

    /// <summary>Compiles a <c>log_line_prefix</c>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static LogLinePrefix Parse(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var segments = new List<PrefixSegment>();
        var literal = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                literal.Append(format[i]);
                continue;
            }

            var start = i++;
            var padded = false;
            var width = 0;
            if (i < format.Length && format[i] == '-') { i++; padded = true; }
            while (i < format.Length && char.IsAsciiDigit(format[i]))
            {
                // PostgreSQL reads the width as an int; past a million it only makes the bound looser.
                width = Math.Min(1_000_000, (width * 10) + (format[i++] - '0'));
                padded = true;
            }

            if (i >= format.Length)
            {
                throw new FormatException($"log_line_prefix '{format}' ends in an unfinished escape '{format[start..]}'.");
            }

            var c = format[i];
            if (c == '%')
            {
                literal.Append('%');
                continue;
            }

            FlushLiteral(segments, literal);
            segments.Add(c == 'q' ? PrefixSegment.Stop : PrefixSegment.Field(EscapeFor(c, format), padded, width));
        }

        FlushLiteral(segments, literal);
        Validate(format, segments);
        return new LogLinePrefix(format, [.. segments]);
    }

    /// <summary>Matches the whole of <paramref name="prefix"/> (the text before the severity).</summary>
    internal bool TryMatch(ReadOnlySpan<byte> prefix, ref PrefixFields fields) =>
        prefix.Length <= MaxHeadLength && ((_isRdsDefault && RdsDefaultPrefix.TryMatch(prefix, ref fields)) || MatchGeneral(prefix, ref fields));

    /// <summary>The general matcher alone, which every format goes through when no straight matcher takes it.</summary>
    internal bool TryMatchGeneral(ReadOnlySpan<byte> prefix, ref PrefixFields fields) => prefix.Length <= MaxHeadLength && MatchGeneral(prefix, ref fields);

    private bool MatchGeneral(ReadOnlySpan<byte> prefix, ref PrefixFields fields)
    {
        // One bit per free-text field and place in the head (counted from its end): set when that try failed.
        var words = ((_freeTextCount * (prefix.Length + 1)) + 63) >> 6;
        ulong[]? rented = null;
        var failed = words <= 128 ? stackalloc ulong[words] : (rented = ArrayPool<ulong>.Shared.Rent(words)).AsSpan(0, words);
        failed.Clear();
        try
        {
            return Match(0, prefix, ref fields, failed);
        }
        finally
        {
            if (rented is not null) ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    public override string ToString() => Format;

    private static PrefixEscape EscapeFor(char c, string format) => c switch
    {
        't' => PrefixEscape.Time,
        'm' => PrefixEscape.TimeMillis,
        'n' => PrefixEscape.EpochMillis,
        's' => PrefixEscape.SessionStart,
        'r' => PrefixEscape.RemoteHostPort,
        'h' => PrefixEscape.RemoteHost,
        'u' => PrefixEscape.User,
        'd' => PrefixEscape.Database,
        'p' => PrefixEscape.ProcessId,
        'a' or 'b' or 'i' or 'L' => PrefixEscape.OtherText,
        'l' or 'x' or 'P' or 'Q' => PrefixEscape.OtherNumber,
        'e' => PrefixEscape.SqlState,
        'c' => PrefixEscape.SessionId,
        'v' => PrefixEscape.VirtualXid,
        _ => throw new FormatException(
            $"log_line_prefix '{format}' uses '%{c}', which is not a PostgreSQL escape this parser knows " +
            "(supported: %t %m %n %s %r %h %u %d %p %a %b %i %L %l %x %P %Q %e %c %v %q %%)."),
    };

    private static void FlushLiteral(List<PrefixSegment> segments, StringBuilder literal)
    {
        if (literal.Length == 0) return;
        segments.Add(PrefixSegment.Text(Encoding.UTF8.GetBytes(literal.ToString())));
        literal.Clear();
    }

    // A free-text field ends where the next literal starts, so two of them side by side cannot be split.
    private static void Validate(string format, List<PrefixSegment> segments)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            if (!segments[i].IsFreeText || i + 1 >= segments.Count) continue;
            if (segments[i + 1].Kind != PrefixSegmentKind.Literal)
            {
                throw new FormatException(
                    $"log_line_prefix '{format}' has a name or host escape followed directly by another escape; " +
                    "put a separator (such as ':' or '@') between them so the two values can be told apart.");
            }
        }
    }

    // Literals and fields of a fixed shape are taken in a loop; only a free-text field has choices to try.
    private bool Match(int index, ReadOnlySpan<byte> rest, ref PrefixFields fields, scoped Span<ulong> failed)
    {
        for (; index < _segments.Length; index++)
        {
            var segment = _segments[index];
            switch (segment.Kind)
            {
                case PrefixSegmentKind.Literal:
                    if (!rest.StartsWith(segment.Literal)) return false;
                    rest = rest[segment.Literal.Length..];
                    break;
                case PrefixSegmentKind.Stop:
                    // Background processes end their prefix at %q; the fields after it stay absent.
                    if (rest.IsEmpty)
                    {
                        ClearFrom(index + 1, ref fields);
                        return true;
                    }

                    break;
                default:
                    if (segment.IsFreeText) return MatchFreeText(index, segment, rest, ref fields, failed);
                    if (!MatchShaped(segment, ref rest, ref fields)) return false;
                    break;
            }
        }

        return rest.IsEmpty;
    }

    private static bool MatchShaped(PrefixSegment segment, scoped ref ReadOnlySpan<byte> rest, ref PrefixFields fields)
    {
        var start = 0;
        if (segment.Padded)
        {
            while (start < rest.Length && rest[start] == (byte)' ') start++;
        }

        var length = PrefixShapes.Measure(segment.Escape, rest[start..]);
        if (length < 0) return false;
        var end = start + length;
        if (segment.Padded)
        {
            while (end < rest.Length && rest[end] == (byte)' ') end++;
        }

        if (!Assign(segment, rest.Slice(start, length), ref fields)) return false;
        rest = rest[end..];
        return true;
    }

    private bool MatchFreeText(int index, PrefixSegment segment, ReadOnlySpan<byte> rest, ref PrefixFields fields, scoped Span<ulong> failed)
    {
        if (index + 1 == _segments.Length)
        {
            return rest.Length <= segment.MaxLength && Assign(segment, Trim(segment, rest), ref fields);
        }

        // Whether the rest matches from here depends on the place alone: a place that failed fails again.
        var key = _freeTextOrdinal[index] + (_freeTextCount * rest.Length);
        if ((failed[key >> 6] & (1UL << key)) != 0) return false;

        // Greedy: try the last occurrence of the following literal first, within the field's longest value.
        var next = _segments[index + 1].Literal;
        var end = (int)Math.Min(rest.Length, (long)segment.MaxLength + next.Length);
        var isHost = segment.Escape is PrefixEscape.RemoteHost or PrefixEscape.RemoteHostPort;
        var host = isHost ? new HostReach(segment, rest[..Math.Min(rest.Length, segment.MaxLength)]) : default;
        if (isHost)
        {
            // A host cannot reach past its characters (and port), so later occurrences need no try.
            fields.Steps += host.MaxLength + 1;
            end = Math.Min(end, host.MaxLength + next.Length);
        }

        while (end >= 0)
        {
            var at = rest[..end].LastIndexOf(next);
            fields.Steps += end - Math.Max(at, 0) + 1;
            if (at < 0) break;
            var assigned = isHost ? host.TryAssign(at, ref fields) : Assign(segment, Trim(segment, rest[..at]), ref fields);
            if (assigned && Match(index + 1, rest[at..], ref fields, failed)) return true;
            end = at + next.Length - 1;
        }

        failed[key >> 6] |= 1UL << key;
        return false;
    }

    private static ReadOnlySpan<byte> Trim(PrefixSegment segment, ReadOnlySpan<byte> value) =>
        segment.Padded ? value.Trim((byte)' ') : value;

    private static bool Assign(PrefixSegment segment, ReadOnlySpan<byte> value, ref PrefixFields fields)
    {
        switch (segment.Escape)
        {
            case PrefixEscape.Time or PrefixEscape.TimeMillis or PrefixEscape.EpochMillis:
                // With several time escapes the most precise one wins.
                if (fields.Time.IsEmpty || segment.Escape != PrefixEscape.Time)
                {
                    fields.Time = value;
                    fields.TimeKind = segment.Escape;
                }

                return true;
            case PrefixEscape.RemoteHostPort:
                return PrefixShapes.TrySplitHostPort(value, out fields.RemoteHost, out fields.RemotePort);
            case PrefixEscape.RemoteHost:
                if (!PrefixShapes.IsHost(value)) return false;
                fields.RemoteHost = value;
                return true;
            case PrefixEscape.User:
                fields.User = value;
                return true;
            case PrefixEscape.Database:
                fields.Database = value;
                return true;
            case PrefixEscape.ProcessId:
                if (!Utf8Parser.TryParse(value, out int pid, out var used) || used != value.Length) return false;
                fields.ProcessId = pid;
                fields.ProcessIdDigits = PrefixShapes.IsShortestDigits(value) ? value : default;
                return true;
            default:
                return true;
        }
    }

    private void ClearFrom(int index, ref PrefixFields fields)
    {
        for (var i = index; i < _segments.Length; i++)
        {
            if (_segments[i].Kind != PrefixSegmentKind.Field) continue;
            switch (_segments[i].Escape)
            {
                case PrefixEscape.RemoteHostPort or PrefixEscape.RemoteHost:
                    fields.RemoteHost = default;
                    fields.RemotePort = null;
                    break;
                case PrefixEscape.User: fields.User = default; break;
                case PrefixEscape.Database: fields.Database = default; break;
                case PrefixEscape.ProcessId:
                    fields.ProcessId = null;
                    fields.ProcessIdDigits = default;
                    break;
                case PrefixEscape.Time or PrefixEscape.TimeMillis or PrefixEscape.EpochMillis: fields.Time = default; break;
            }
        }
    }
}
