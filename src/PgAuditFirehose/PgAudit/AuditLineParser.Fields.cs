using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace PgAuditFirehose.PgAudit;

/// <summary>The CSV after <c>AUDIT:</c>: the nine or ten fields, the statement id numbers, the parameter list.</summary>
internal sealed partial class AuditLineParser
{
    // csvOffset: where csv starts in the entry (and so in the escaped message); plainLength: where the escaped message's first escape is.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ParseAuditFields(
        ReadOnlySpan<byte> csv, ReadOnlySpan<byte> escapedMessage, int plainLength, int csvOffset, Span<byte> scratch, scoped ref int used, ref AuditLine line)
    {
        var position = 0;
        bool ok;
        if (TrySplitLeadingFields(csv, ref position, ref line))
        {
            ok = ParseNumber(line.StatementIdDigits, "statement id", out line.StatementId, ref line)
                && ParseNumber(line.SubstatementIdDigits, "substatement id", out line.SubstatementId, ref line);
        }
        else
        {
            ok = ReadField(csv, ref position, scratch, ref used, out line.AuditType)
                && ReadField(csv, ref position, scratch, ref used, out line.StatementIdDigits)
                && ParseNumber(line.StatementIdDigits, "statement id", out line.StatementId, ref line)
                && ReadField(csv, ref position, scratch, ref used, out line.SubstatementIdDigits)
                && ParseNumber(line.SubstatementIdDigits, "substatement id", out line.SubstatementId, ref line)
                && ReadField(csv, ref position, scratch, ref used, out line.Class)
                && ReadField(csv, ref position, scratch, ref used, out line.Command)
                && ReadField(csv, ref position, scratch, ref used, out line.ObjectType)
                && ReadField(csv, ref position, scratch, ref used, out line.ObjectName);
        }

        // The ids' text is kept for the writer only when both are the numbers' shortest form (and, below, parsed).
        if (!PrefixShapes.IsShortestDigits(line.StatementIdDigits) || !PrefixShapes.IsShortestDigits(line.SubstatementIdDigits))
        {
            line.StatementIdDigits = line.SubstatementIdDigits = default;
        }

        ok = ok
            && ReadStatement(csv, escapedMessage, plainLength, csvOffset, ref position, scratch, ref used, ref line)
            && position >= 0
            && ReadParameter(csv, ref position, scratch, ref used, out line.Parameter);
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
            line.StatementIdDigits = line.SubstatementIdDigits = default;
            line.StatementEscaped = false;
            return;
        }

        line.HasAuditFields = true;
        ParseParameterList(scratch, ref used, ref line);
    }

    private static ReadOnlySpan<byte> NotLogged => "<not logged>"u8;

    // PARAMETER: most often pgaudit.log_parameter is off and it is the line's last field, <not logged>,
    // settled by one compare (the JIT unrolls it) rather than a field read and its search for a comma.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReadParameter(ReadOnlySpan<byte> csv, scoped ref int position, Span<byte> scratch, scoped ref int used, out ReadOnlySpan<byte> parameter)
    {
        var rest = csv[position..];
        if (rest.SequenceEqual(NotLogged))
        {
            parameter = rest;
            position = -1;
            return true;
        }

        return AuditCsv.TryReadField(csv, ref position, scratch, ref used, removeContinuationTabs: true, out parameter);
    }

    // STATEMENT, the longest field and the one most often quoted: straight from the escaped message when
    // there is one and nothing before the statement was escaped there (so positions before it are the
    // same in both texts), else unquoted from the entry like any other field.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReadStatement(
        ReadOnlySpan<byte> csv, ReadOnlySpan<byte> escapedMessage, int plainLength, int csvOffset, scoped ref int position, Span<byte> scratch, scoped ref int used, ref AuditLine line)
    {
        if (position < 0) return false;
        var start = csvOffset + position;
        if (start < escapedMessage.Length
            && start <= plainLength
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

    private static bool ParseNumber(scoped ReadOnlySpan<byte> text, string name, out long number, ref AuditLine line)
    {
        // Statement ids are a few digits: read here; anything else (a sign, 19 digits) as Utf8Parser reads it.
        if (text.Length is > 0 and <= 18)
        {
            number = 0;
            var i = 0;
            for (; i < text.Length && char.IsAsciiDigit((char)text[i]); i++) number = (number * 10) + (text[i] - '0');
            if (i == text.Length) return true;
        }

        if (Utf8Parser.TryParse(text, out number, out var consumed) && consumed == text.Length && text.Length > 0) return true;
        line.ParseError = $"the {name} '{Encoding.UTF8.GetString(text)}' is not an integer";
        return false;
    }

    /// <summary>
    /// The seven short fields before STATEMENT split at the commas of one look at the first 64 bytes (two or four blocks):
    /// only when all seven end there and hold no quote (none is quoted then), else false and nothing set.
    /// The two ids' text goes to <see cref="AuditLine.StatementIdDigits"/> and <see cref="AuditLine.SubstatementIdDigits"/>, to be parsed.
    /// </summary>
    // A field with the lead byte of U+2028/U+2029 (E2, also that of ’ “ – ...) is written through the escaping way.
    private const byte LineSeparatorLead = 0xE2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TrySplitLeadingFields(ReadOnlySpan<byte> csv, scoped ref int position, ref AuditLine line)
    {
        const int Window = 4 * 16;
        if (csv.Length < Window || !Vector128.IsHardwareAccelerated) return false;
        ref var start = ref MemoryMarshal.GetReference(csv);
        ulong commas = 0, quotes = 0, escaped = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (var i = 0; i < Window; i += Vector256<byte>.Count)
            {
                var block = Vector256.LoadUnsafe(ref start, (nuint)i);
                commas |= (ulong)Vector256.Equals(block, Vector256.Create((byte)',')).ExtractMostSignificantBits() << i;
                quotes |= (ulong)Vector256.Equals(block, Vector256.Create((byte)'"')).ExtractMostSignificantBits() << i;
                escaped |= (ulong)(Vector256.Equals(block, Vector256.Create((byte)'\\')) | Vector256.LessThan(block, Vector256.Create((byte)0x20))
                        | Vector256.Equals(block, Vector256.Create(LineSeparatorLead)))
                    .ExtractMostSignificantBits() << i;
            }
        }
        else
        {
            for (var i = 0; i < Window; i += Vector128<byte>.Count)
            {
                var block = Vector128.LoadUnsafe(ref start, (nuint)i);
                commas |= (ulong)Vector128.Equals(block, Vector128.Create((byte)',')).ExtractMostSignificantBits() << i;
                quotes |= (ulong)Vector128.Equals(block, Vector128.Create((byte)'"')).ExtractMostSignificantBits() << i;
                escaped |= (ulong)(Vector128.Equals(block, Vector128.Create((byte)'\\')) | Vector128.LessThan(block, Vector128.Create((byte)0x20))
                        | Vector128.Equals(block, Vector128.Create(LineSeparatorLead)))
                    .ExtractMostSignificantBits() << i;
            }
        }

        if (BitOperations.PopCount(commas) < 7) return false;
        var ends = commas;
        for (var k = 0; k < 6; k++) ends &= ends - 1;
        var leading = (1UL << BitOperations.TrailingZeroCount(ends)) - 1;
        if ((quotes & leading) != 0) return false;
        line.PlainLeadingFields = (escaped & leading) == 0;

        var from = 0;
        line.AuditType = Next(csv, ref commas, ref from);
        line.StatementIdDigits = Next(csv, ref commas, ref from);
        line.SubstatementIdDigits = Next(csv, ref commas, ref from);
        line.Class = Next(csv, ref commas, ref from);
        line.Command = Next(csv, ref commas, ref from);
        line.ObjectType = Next(csv, ref commas, ref from);
        line.ObjectName = Next(csv, ref commas, ref from);
        position = from;
        return true;

        // Inlined by hand: TrySplitLeadingFields is itself inlined, and the JIT then no longer inlines this alone.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    // <none>, <not logged>, <previously logged>: a short text, so a loop rather than IndexOfAny, whose
    // call costs more than the look on a dozen bytes.
    private static bool IsMarker(ReadOnlySpan<byte> parameter)
    {
        // pgaudit.log_parameter off, the usual setting: one compare.
        if (parameter.SequenceEqual(NotLogged)) return true;
        if (parameter.Length <= 2 || parameter[0] != (byte)'<' || parameter[^1] != (byte)'>') return false;
        foreach (var b in parameter)
        {
            if (b is (byte)',' or (byte)'"') return false;
        }

        return true;
    }

    // PARAMETER is either a marker such as <none> or a CSV list that pgAudit quoted once more as a whole.
    private void ParseParameterList(Span<byte> scratch, scoped ref int used, ref AuditLine line)
    {
        var parameter = line.Parameter;
        if (IsMarker(parameter)) return;

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
}
