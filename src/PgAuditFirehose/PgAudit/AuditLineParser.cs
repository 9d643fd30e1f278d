using System.Buffers.Text;
using System.Numerics;
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
internal sealed class AuditLineParser
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
    private byte[] _scratch = new byte[4096];
    private readonly byte[] _lastTime = new byte[64];
    private readonly byte[] _lastIso = new byte[LogTimestamp.MaxIsoLength];
    private int _lastTimeLength;
    private int _lastIsoLength;
    private PrefixEscape _lastTimeKind;
    private int[] _parameterEnds = new int[16];

    public AuditLineParser(LogLinePrefix prefix) => _prefix = prefix;

    /// <summary>
    /// False when <paramref name="entry"/> is not an audit line. True for every audit line, also one that
    /// failed to parse: <see cref="AuditLine.ParseError"/> then says why and the parts that parsed are kept.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> entry, out AuditLine line) => TryParse(entry, default, out line);

    /// <summary>
    /// The same, given the message <paramref name="entry"/> begins as the envelope's JSON wrote it, escapes
    /// and all (or nothing): the statement is then taken from there, JSON-escaped, when nothing before it
    /// was escaped (<see cref="AuditLine.StatementEscaped"/>), for a JSON writer only.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> escapedMessage, out AuditLine line)
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
        var isAuditSeverity = EndsWithAny(head, AuditSeverities, out var known);
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
            ParsePrefix(head[..^known.Length], ref line);
        }

        ParseAuditFields(body, escapedMessage, entry.Length - body.Length, scratch, ref used, ref line);
        if (line.ParseError is not null) line.RawMessage = entry;
        return true;
    }

    private void ParsePrefix(ReadOnlySpan<byte> prefixText, ref AuditLine line)
    {
        if (!_prefix.TryMatch(prefixText, ref line.Prefix))
        {
            line.Prefix = default;
            line.ParseError = $"the text before the severity does not match log_line_prefix '{_prefix.Format}' (set LOG_LINE_PREFIX to the server's log_line_prefix)";
            return;
        }

        line.PlainPrefix = JsonText.PlainLength(prefixText) == prefixText.Length;

        if (line.Prefix.Time.IsEmpty) return;
        line.LogTime = IsoTime(line.Prefix.Time, line.Prefix.TimeKind, out var error);
        if (error is not null) line.ParseError = error;
    }

    // Lines come many to the second, so the last time's ISO form is kept and reused while the text is the same.
    private ReadOnlySpan<byte> IsoTime(ReadOnlySpan<byte> time, PrefixEscape kind, out string? error)
    {
        error = null;
        if (kind == _lastTimeKind && time.SequenceEqual(_lastTime.AsSpan(0, _lastTimeLength))) return _lastIso.AsSpan(0, _lastIsoLength);
        error = LogTimestamp.TryFormatIso(time, kind, _lastIso, out var written);
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

    // csvOffset: where csv starts in the entry (and so in the escaped message).
    private void ParseAuditFields(
        ReadOnlySpan<byte> csv, ReadOnlySpan<byte> escapedMessage, int csvOffset, Span<byte> scratch, scoped ref int used, ref AuditLine line)
    {
        var position = 0;
        bool ok;
        if (TrySplitLeadingFields(csv, ref position, ref line, out var statementId, out var substatementId))
        {
            ok = ParseNumber(statementId, "statement id", out line.StatementId, ref line)
                && ParseNumber(substatementId, "substatement id", out line.SubstatementId, ref line);
        }
        else
        {
            ok = ReadField(csv, ref position, scratch, ref used, out line.AuditType)
                && ReadNumber(csv, ref position, scratch, ref used, "statement id", out line.StatementId, ref line)
                && ReadNumber(csv, ref position, scratch, ref used, "substatement id", out line.SubstatementId, ref line)
                && ReadField(csv, ref position, scratch, ref used, out line.Class)
                && ReadField(csv, ref position, scratch, ref used, out line.Command)
                && ReadField(csv, ref position, scratch, ref used, out line.ObjectType)
                && ReadField(csv, ref position, scratch, ref used, out line.ObjectName);
        }

        ok = ok
            && ReadStatement(csv, escapedMessage, csvOffset, ref position, scratch, ref used, ref line)
            && position >= 0
            && AuditCsv.TryReadField(csv, ref position, scratch, ref used, removeContinuationTabs: true, out line.Parameter);
        if (ok && position >= 0)
        {
            ok = AuditCsv.TryReadField(csv, ref position, scratch, ref used, removeContinuationTabs: true, out var rows)
                && position < 0
                && ParseRows(rows, ref line);
        }

        if (!ok)
        {
            line.ParseError ??= position < 0
                ? "the CSV after 'AUDIT:' has fewer than the 9 fields pgAudit writes"
                : "the CSV after 'AUDIT:' is malformed (an unterminated quote, text after a closing quote, or more than 10 fields)";
            line.AuditType = line.Class = line.Command = line.ObjectType = line.ObjectName = line.Statement = line.Parameter = default;
            line.StatementEscaped = false;
            return;
        }

        line.HasAuditFields = true;
        ParseParameterList(scratch, ref used, ref line);
    }

    // STATEMENT, the longest field and the one most often quoted: straight from the escaped message when
    // there is one and nothing before the statement was escaped there (so positions before it are the
    // same in both texts), else unquoted from the entry like any other field.
    private static bool ReadStatement(
        ReadOnlySpan<byte> csv, ReadOnlySpan<byte> escapedMessage, int csvOffset, scoped ref int position, Span<byte> scratch, scoped ref int used, ref AuditLine line)
    {
        if (position < 0) return false;
        var start = csvOffset + position;
        if (start < escapedMessage.Length
            && escapedMessage[..start].IndexOf((byte)'\\') < 0
            && EscapedCsv.TryTranscodeField(escapedMessage, start, scratch[used..], out var written, out _, out var unescapedEnd)
            && unescapedEnd - csvOffset <= csv.Length
            && csv[unescapedEnd - csvOffset - 1] == (byte)',')
        {
            line.Statement = scratch.Slice(used, written);
            line.StatementEscaped = true;
            used += written;
            position = unescapedEnd - csvOffset;
            return true;
        }

        return AuditCsv.TryReadField(csv, ref position, scratch, ref used, removeContinuationTabs: true, out line.Statement);
    }

    private static bool ReadField(ReadOnlySpan<byte> csv, scoped ref int position, Span<byte> scratch, scoped ref int used, out ReadOnlySpan<byte> value)
    {
        // Every field before PARAMETER must be followed by another one.
        value = default;
        return position >= 0 && AuditCsv.TryReadField(csv, ref position, scratch, ref used, removeContinuationTabs: true, out value);
    }

    private static bool ReadNumber(ReadOnlySpan<byte> csv, scoped ref int position, Span<byte> scratch, scoped ref int used, string name, out long number, ref AuditLine line)
    {
        number = 0;
        return ReadField(csv, ref position, scratch, ref used, out var text) && ParseNumber(text, name, out number, ref line);
    }

    private static bool ParseNumber(scoped ReadOnlySpan<byte> text, string name, out long number, ref AuditLine line)
    {
        if (Utf8Parser.TryParse(text, out number, out var consumed) && consumed == text.Length && text.Length > 0) return true;
        line.ParseError = $"the {name} '{Encoding.UTF8.GetString(text)}' is not an integer";
        return false;
    }

    /// <summary>
    /// The seven short fields before STATEMENT split at the commas of one look at the first 64 bytes:
    /// only when all seven end there and hold no quote (none is quoted then), else false and nothing set.
    /// </summary>
    private static bool TrySplitLeadingFields(
        ReadOnlySpan<byte> csv, scoped ref int position, ref AuditLine line, out ReadOnlySpan<byte> statementId, out ReadOnlySpan<byte> substatementId)
    {
        statementId = substatementId = default;
        const int Window = 4 * 16;
        if (csv.Length < Window || !Vector128.IsHardwareAccelerated) return false;
        ref var start = ref MemoryMarshal.GetReference(csv);
        ulong commas = 0, quotes = 0, escaped = 0;
        for (var i = 0; i < Window; i += Vector128<byte>.Count)
        {
            var block = Vector128.LoadUnsafe(ref start, (nuint)i);
            commas |= (ulong)Vector128.Equals(block, Vector128.Create((byte)',')).ExtractMostSignificantBits() << i;
            quotes |= (ulong)Vector128.Equals(block, Vector128.Create((byte)'"')).ExtractMostSignificantBits() << i;
            escaped |= (ulong)(Vector128.Equals(block, Vector128.Create((byte)'\\')) | Vector128.LessThan(block, Vector128.Create((byte)0x20)))
                .ExtractMostSignificantBits() << i;
        }

        if (BitOperations.PopCount(commas) < 7) return false;
        var ends = commas;
        for (var k = 0; k < 6; k++) ends &= ends - 1;
        var leading = (1UL << BitOperations.TrailingZeroCount(ends)) - 1;
        if ((quotes & leading) != 0) return false;
        line.PlainLeadingFields = (escaped & leading) == 0;

        var from = 0;
        line.AuditType = Next(csv, ref commas, ref from);
        statementId = Next(csv, ref commas, ref from);
        substatementId = Next(csv, ref commas, ref from);
        line.Class = Next(csv, ref commas, ref from);
        line.Command = Next(csv, ref commas, ref from);
        line.ObjectType = Next(csv, ref commas, ref from);
        line.ObjectName = Next(csv, ref commas, ref from);
        position = from;
        return true;

        static ReadOnlySpan<byte> Next(ReadOnlySpan<byte> csv, scoped ref ulong commas, scoped ref int from)
        {
            var comma = BitOperations.TrailingZeroCount(commas);
            commas &= commas - 1;
            var field = csv[from..comma];
            from = comma + 1;
            return field;
        }
    }

    private static bool ParseRows(scoped ReadOnlySpan<byte> text, ref AuditLine line)
    {
        if (text.IsEmpty) return true;
        if (Utf8Parser.TryParse(text, out long rows, out var consumed) && consumed == text.Length)
        {
            line.Rows = rows;
            return true;
        }

        line.ParseError = $"the rows field '{Encoding.UTF8.GetString(text)}' is not an integer";
        return false;
    }

    // PARAMETER is either a marker such as <none> or a CSV list that pgAudit quoted once more as a whole.
    private void ParseParameterList(Span<byte> scratch, scoped ref int used, ref AuditLine line)
    {
        var parameter = line.Parameter;
        if (parameter.Length > 2 && parameter[0] == (byte)'<' && parameter[^1] == (byte)'>' && parameter.IndexOfAny((byte)',', (byte)'"') < 0)
        {
            return;
        }

        var start = used;
        var count = 0;
        var position = 0;
        while (position >= 0)
        {
            var before = used;
            if (!AuditCsv.TryReadField(parameter, ref position, scratch, ref used, removeContinuationTabs: false, out var value))
            {
                line.ParseError = "the parameter list is not valid CSV";
                return;
            }

            // Quoted values were unquoted into place; copy the others so all values sit side by side.
            if (used == before)
            {
                value.CopyTo(scratch[used..]);
                used += value.Length;
            }

            if (count == _parameterEnds.Length) Array.Resize(ref _parameterEnds, count * 2);
            _parameterEnds[count++] = used - start;
        }

        line.HasParameterList = true;
        line.ParameterValues = scratch[start..used];
        line.ParameterEnds = _parameterEnds.AsSpan(0, count);
    }

    private void EnsureScratch(int entryLength)
    {
        // Unquoting only shrinks text: the fields and then the parameter list each fit in the entry's length.
        var needed = 2 * entryLength;
        if (_scratch.Length < needed) _scratch = new byte[Math.Max(needed, _scratch.Length * 2)];
    }

    // Where ":  " first occurs: three shifted looks at each block rather than a search for ':' that stops
    // at every colon of the prefix's time and fields.
    internal static int IndexOfSeverityEnd(ReadOnlySpan<byte> entry)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var at = ref MemoryMarshal.GetReference(entry);
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
