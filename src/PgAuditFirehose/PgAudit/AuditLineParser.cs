using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.PgAudit;

/// <summary>
/// Recognises pgAudit lines among PostgreSQL log entries and takes them apart:
/// <c>PREFIX SEVERITY:  [SQLSTATE: ]AUDIT: TYPE,ID,SUBID,CLASS,COMMAND,OBJTYPE,OBJNAME,STATEMENT,PARAMETER[,ROWS]</c>.
/// One instance per thread: it reuses its scratch buffers from line to line.
/// </summary>
internal sealed partial class AuditLineParser
{
    private static ReadOnlySpan<byte> SeverityEnd => ":  "u8;
    private static ReadOnlySpan<byte> AuditTag => "AUDIT: "u8;

    // Severities pgAudit can log at (log_level; DEBUG1-5 print as DEBUG), and those it never uses.
    private static readonly byte[][] AuditSeverities = ["LOG"u8.ToArray(), "NOTICE"u8.ToArray(), "WARNING"u8.ToArray(), "INFO"u8.ToArray(), "DEBUG"u8.ToArray()];
    private static readonly byte[][] OtherSeverities =
    [
        "ERROR"u8.ToArray(), "FATAL"u8.ToArray(), "PANIC"u8.ToArray(), "STATEMENT"u8.ToArray(), "DETAIL"u8.ToArray(),
        "HINT"u8.ToArray(), "CONTEXT"u8.ToArray(), "LOCATION"u8.ToArray(), "QUERY"u8.ToArray(),
    ];

    private readonly LogLinePrefix _prefix;
    private readonly LogTimeZone _timeZone;
    private byte[] _scratch = new byte[4096];
    private readonly byte[] _lastTime = new byte[64];
    private readonly byte[] _lastIso = new byte[LogTimestamp.MaxIsoLength];
    private int _lastTimeLength;
    private int _lastIsoLength;
    private PrefixEscape _lastTimeKind;
    private int[] _parameterEnds = new int[16];

    public AuditLineParser(LogLinePrefix prefix, LogTimeZone? timeZone = null)
    {
        _prefix = prefix;
        _timeZone = timeZone ?? LogTimeZone.Utc;
    }

    /// <summary>
    /// False when <paramref name="entry"/> is not an audit line. True for every audit line, also one that
    /// failed to parse: <see cref="AuditLine.ParseError"/> then says why and the parts that parsed are kept.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> entry, out AuditLine line) => TryParse(entry, default, 0, out line);

    /// <summary>
    /// The same, given the message <paramref name="entry"/> begins as the envelope's JSON wrote it, escapes
    /// and all (or nothing): the statement is then taken from there, JSON-escaped, when nothing before it
    /// was escaped (<see cref="AuditLine.StatementEscaped"/>), for a JSON writer only. The entry's first
    /// <paramref name="plainLength"/> bytes are known to need no JSON escape (0 when nothing is known),
    /// and with an escaped message it is where the message's first escape is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryParse(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> escapedMessage, int plainLength, out AuditLine line)
    {
        line = default;
        var severityEnd = IndexOfSeverityEnd(entry);
        if (severityEnd < 0) return false;
        var body = entry[(severityEnd + SeverityEnd.Length)..];
        if (!body.StartsWith(AuditTag) && body.Length > 7 && IsSqlState(body[..5]) && body[5] == (byte)':' && body[6] == (byte)' ')
        {
            // log_error_verbosity = verbose puts the SQLSTATE first: "LOG:  00000: AUDIT: ".
            body = body[7..];
        }

        if (!body.StartsWith(AuditTag)) return false;
        body = body[AuditTag.Length..];

        // No other severity ends in one pgAudit logs at, so the usual case is settled by the first test.
        var head = entry[..severityEnd];
        var isAuditSeverity = EndsWithLog(head, out var known) || EndsWithAny(head, AuditSeverities, out known);
        if (!isAuditSeverity && EndsWithAny(head, OtherSeverities, out _)) return false;

        EnsureScratch(entry.Length + escapedMessage.Length);
        var scratch = _scratch.AsSpan();
        var used = 0;
        if (!isAuditSeverity)
        {
            line.Severity = TrailingWord(head);
            line.ParseError = $"severity '{Encoding.UTF8.GetString(line.Severity)}' is not one pgAudit logs at (LOG, NOTICE, WARNING, INFO, DEBUG); lc_messages must be English";
        }
        else
        {
            line.Severity = known;
            ParsePrefix(head[..^known.Length], plainLength, ref line);
        }

        ParseAuditFields(body, escapedMessage, plainLength, entry.Length - body.Length, scratch, ref used, ref line);
        if (line.ParseError is not null) line.RawMessage = entry;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ParsePrefix(ReadOnlySpan<byte> prefixText, int plainLength, ref AuditLine line)
    {
        if (!_prefix.TryMatch(prefixText, ref line.Prefix))
        {
            line.Prefix = default;
            if (prefixText.Length > _prefix.MaxHeadLength)
            {
                line.ParseError = $"the text before the severity is {prefixText.Length} bytes, more than log_line_prefix '{_prefix.Format}' can produce ({_prefix.MaxHeadLength})";
                return;
            }

            line.ParseError = $"the text before the severity does not match log_line_prefix '{_prefix.Format}' (set LOG_LINE_PREFIX to the server's log_line_prefix)";
            return;
        }

        line.PlainPrefix = prefixText.Length <= plainLength
            || (JsonText.PlainLength(prefixText) == prefixText.Length && JsonText.LineSeparatorIndex(prefixText) < 0);

        if (line.Prefix.Time.IsEmpty) return;
        line.LogTime = IsoTime(line.Prefix.Time, line.Prefix.TimeKind, out var error);
        if (error is not null) line.ParseError = error;
    }

    // Lines come many to the second, so the last time's ISO form is kept and reused while the text is the same.
    private ReadOnlySpan<byte> IsoTime(ReadOnlySpan<byte> time, PrefixEscape kind, out string? error)
    {
        error = null;
        if (kind == _lastTimeKind && time.SequenceEqual(_lastTime.AsSpan(0, _lastTimeLength))) return _lastIso.AsSpan(0, _lastIsoLength);
        error = LogTimestamp.TryFormatIso(time, kind, _timeZone, _lastIso, out var written);
        // The ISO form was written over the kept one: kept again only when it is good and its text fits.
        _lastTimeLength = 0;
        if (error is not null) return default;
        if (time.Length <= _lastTime.Length)
        {
            time.CopyTo(_lastTime);
            _lastTimeLength = time.Length;
            _lastTimeKind = kind;
        }

        _lastIsoLength = written;
        return _lastIso.AsSpan(0, written);
    }

    private void EnsureScratch(int entryLength)
    {
        // Unquoting only shrinks text: the fields and then the parameter list each fit in the entry's length.
        var needed = 2 * entryLength;
        if (_scratch.Length < needed) _scratch = new byte[Math.Max(needed, _scratch.Length * 2)];
    }

    // Where ":  " first occurs: three shifted looks at each block rather than a search for ':' that stops
    // at every colon of the prefix's time and fields.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int IndexOfSeverityEnd(ReadOnlySpan<byte> entry)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var at = ref MemoryMarshal.GetReference(entry);
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= entry.Length - Vector256<byte>.Count - 2; i += Vector256<byte>.Count)
                {
                    var wide = Vector256.Equals(Vector256.LoadUnsafe(ref at, (nuint)i), Vector256.Create((byte)':'))
                        & Vector256.Equals(Vector256.LoadUnsafe(ref at, (nuint)(i + 1)), Vector256.Create((byte)' '))
                        & Vector256.Equals(Vector256.LoadUnsafe(ref at, (nuint)(i + 2)), Vector256.Create((byte)' '));
                    var bits = wide.ExtractMostSignificantBits();
                    if (bits != 0) return i + BitOperations.TrailingZeroCount(bits);
                }
            }

            for (; i <= entry.Length - Vector128<byte>.Count - 2; i += Vector128<byte>.Count)
            {
                var found = Vector128.Equals(Vector128.LoadUnsafe(ref at, (nuint)i), Vector128.Create((byte)':'))
                    & Vector128.Equals(Vector128.LoadUnsafe(ref at, (nuint)(i + 1)), Vector128.Create((byte)' '))
                    & Vector128.Equals(Vector128.LoadUnsafe(ref at, (nuint)(i + 2)), Vector128.Create((byte)' '));
                var mask = found.ExtractMostSignificantBits();
                if (mask != 0) return i + BitOperations.TrailingZeroCount(mask);
            }
        }

        var rest = entry[i..].IndexOf(SeverityEnd);
        return rest < 0 ? -1 : i + rest;
    }

    private static bool IsSqlState(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (!(char.IsAsciiDigit((char)b) || char.IsAsciiLetterUpper((char)b))) return false;
        }

        return true;
    }

    private static ReadOnlySpan<byte> TrailingWord(ReadOnlySpan<byte> head)
    {
        var start = head.Length;
        while (start > 0 && char.IsAsciiLetter((char)head[start - 1])) start--;
        return head[start..];
    }

    // LOG, pgAudit's default level and so most lines', without the loop's calls.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EndsWithLog(ReadOnlySpan<byte> head, out ReadOnlySpan<byte> match)
    {
        var log = head.Length >= 3 && head[^3] == (byte)'L' && head[^2] == (byte)'O' && head[^1] == (byte)'G';
        match = log ? AuditSeverities[0] : default;
        return log;
    }

    private static bool EndsWithAny(ReadOnlySpan<byte> head, byte[][] words, out ReadOnlySpan<byte> match)
    {
        foreach (var word in words)
        {
            if (head.Length >= word.Length && head[^word.Length..].SequenceEqual(word))
            {
                match = word;
                return true;
            }
        }

        match = default;
        return false;
    }
}
