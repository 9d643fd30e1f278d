using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Records;

/// <summary>
/// Writes an audit record as one line of JSON, keys in <see cref="AuditColumns.All"/> order, straight
/// into UTF-8 output: the keys are constant, so only the values need work. The room for the whole
/// line is reserved once, for the worst case, and the line written into it.
/// </summary>
internal static class AuditJsonWriter
{
    // Loops rather than Linq here: these run at start-up, where every generic instantiation is JIT work.
    private static readonly byte[][] Keys = BuildKeys();
    private static readonly byte[][] NullMembers = BuildNullMembers();
    private static readonly int KeysLength = TotalLength(Keys);
    private static readonly Snippets KeySnippets = new(Keys);
    private static readonly Snippets NullSnippets = new(NullMembers);

    // The snippets' arrays as static readonly fields: constants to the JIT (see Key and Null).
    private static readonly byte[] KeySlots = KeySnippets.Slots;
    private static readonly int[] KeyLengths = KeySnippets.Lengths;
    private static readonly byte[] NullSlots = NullSnippets.Slots;
    private static readonly int[] NullLengths = NullSnippets.Lengths;
    private static readonly int AuditType = Index(AuditColumns.AuditType);
    private static readonly int Parameters = Index(AuditColumns.Parameters);
    private static readonly int RawMessage = Index(AuditColumns.RawMessage);
    private static readonly int LogGroup = Index(AuditColumns.LogGroup);
    private static readonly int LogEventId = Index(AuditColumns.LogEventId);
    private static readonly int Redacted = Index(AuditColumns.Redacted);

    // The columns after parse_error as every audit record has them: record_type alone. The server log's
    // columns are left out, as raw_message and parse_error are, rather than written null: the SerDes and
    // Parquet conversion read a missing key as null, and 140 bytes more a record cost the response ~5 %.
    private static readonly byte[] AuditTail = BuildAuditTail();
    private static readonly Snippets AuditTailSnippet = new([AuditTail]);
    private static readonly byte[] AuditTailSlot = AuditTailSnippet.Slots;
    private static readonly int[] AuditTailLength = AuditTailSnippet.Lengths;

    /// <summary>Each column's member key (<c>{"name":</c> first, <c>,"name":</c> after), in column order.</summary>
    internal static IReadOnlyList<byte[]> MemberKeys => Keys;

    public static void Write(IBufferWriter<byte> output, scoped in AuditLine line, scoped in AuditSource source)
    {
        byte[] error = line.ParseError is null ? [] : Encoding.UTF8.GetBytes(line.ParseError);
        var d = output.GetSpan(MaxLength(in line, in source, error.Length));
        // Text known to hold nothing to escape is copied as it is: all of a line from a message that was
        // written without escapes, else the fields the parser saw to be plain.
        var message = !source.PlainMessage;
        var n = WritePrefixMembers(d, in line, message);
        n = WriteAuditMembers(d, n, in line, message);
        n = WriteSourceMembers(d, n, in line, in source, message, error);
        output.Advance(n);
    }

    // The members come in three groups, each a method with its members' helpers inlined: one call a
    // member costs more than the member, and all of them inlined into one method is more than the JIT
    // handles well (its registers spill).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WritePrefixMembers(Span<byte> d, scoped in AuditLine line, bool message)
    {
        var prefix = message && !line.PlainPrefix;
        var k = 0;
        var n = Text(d, 0, k++, line.LogTime, !line.LogTime.IsEmpty, escape: false);
        n = Text(d, n, k++, line.Prefix.RemoteHost, !line.Prefix.RemoteHost.IsEmpty, prefix);
        n = NumberOrNull(d, n, k++, line.Prefix.RemotePort);
        n = Text(d, n, k++, line.Prefix.User, !line.Prefix.User.IsEmpty, prefix);
        n = Text(d, n, k++, line.Prefix.Database, !line.Prefix.Database.IsEmpty, prefix);
        n = Number(d, n, k++, line.Prefix.ProcessId, line.Prefix.ProcessIdDigits);
        return Text(d, n, k, line.Severity, !line.Severity.IsEmpty, escape: false);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteAuditMembers(Span<byte> d, int n, scoped in AuditLine line, bool message)
    {
        var csv = line.HasAuditFields;
        var leading = message && !line.PlainLeadingFields;
        var k = AuditType;
        n = Text(d, n, k++, line.AuditType, csv, leading);
        // (The ids' digits are empty when the CSV did not parse.)
        n = Number(d, n, k++, csv ? line.StatementId : null, line.StatementIdDigits);
        n = Number(d, n, k++, csv ? line.SubstatementId : null, line.SubstatementIdDigits);
        n = Text(d, n, k++, line.Class, csv, leading);
        n = Text(d, n, k++, line.Command, csv, leading);
        n = Text(d, n, k++, line.ObjectType, !line.ObjectType.IsEmpty, leading);
        n = Text(d, n, k++, line.ObjectName, !line.ObjectName.IsEmpty, leading);
        n = Text(d, n, k++, line.Statement, csv, message && !line.StatementEscaped);
        n = Text(d, n, k, line.Parameter, csv, message);
        n = WriteParameters(d, n, in line, message);
        return NumberOrNull(d, n, Parameters + 1, line.Rows);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteSourceMembers(Span<byte> d, int n, scoped in AuditLine line, scoped in AuditSource source, bool message, byte[] error)
    {
        var record = source.Record.Json;
        record.AsSpan().CopyTo(d[n..]);
        n += record.Length;
        n = Text(d, n, LogEventId, source.LogEventId, !source.LogEventId.IsEmpty, !source.PlainLogEventId);
        n = Number(d, n, LogEventId + 1, source.LogEventTimestamp, source.LogEventTimestampText);
        if (line.ParseError is not null)
        {
            n = Text(d, n, RawMessage, line.RawMessage, present: true, message);
            n = Text(d, n, RawMessage + 1, error, present: true);
        }

        n = Snippets.Put(AuditTailSlot, AuditTailLength, d, n, 0);

        // Like raw_message, written only when it says something: a record without secrets has no redacted member.
        if (line.Redacted)
        {
            n = Key(d, n, Redacted);
            "true"u8.CopyTo(d[n..]);
            n += 4;
        }
        d[n++] = (byte)'}';
        d[n++] = (byte)'\n';
        return n;
    }

    /// <summary>
    /// The most the line can take: the keys, every value byte escaped to 6, and for each value its
    /// quotes or null, or 20 digits, or a comma between parameters; and a key slot's room at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MaxLength(scoped in AuditLine line, scoped in AuditSource source, int errorLength)
    {
        long text = line.LogTime.Length + line.Prefix.RemoteHost.Length + line.Prefix.User.Length + line.Prefix.Database.Length
            + line.Severity.Length + line.AuditType.Length + line.Class.Length + line.Command.Length + line.ObjectType.Length
            + line.ObjectName.Length + line.Statement.Length + line.Parameter.Length + line.ParameterValues.Length
            + source.LogEventId.Length + line.RawMessage.Length + errorLength;
        var record = source.Record.Json.Length;
        return checked((int)(KeysLength + AuditTail.Length + record + (6 * text) + (20 * Keys.Length) + (3 * line.ParameterEnds.Length) + 4 + Snippets.SlotLength));
    }

    /// <summary>The log group, log stream, account and database identifier members, for <see cref="RecordColumns"/>.</summary>
    public static byte[] SourceMembers(byte[][] values)
    {
        var room = 0;
        for (var i = 0; i < values.Length; i++) room += Keys[LogGroup + i].Length + (6 * values[i].Length) + 6;
        var buffer = new byte[room + Snippets.SlotLength];
        var n = 0;
        for (var i = 0; i < values.Length; i++) n = Text(buffer, n, LogGroup + i, values[i], values[i].Length > 0);
        return buffer[..n];
    }

    private static byte[][] BuildKeys()
    {
        var keys = new byte[AuditColumns.All.Count][];
        for (var i = 0; i < keys.Length; i++) keys[i] = Encoding.UTF8.GetBytes((i == 0 ? "{\"" : ",\"") + AuditColumns.All[i].Name + "\":");
        return keys;
    }

    private static byte[] BuildAuditTail()
    {
        var recordType = Index(AuditColumns.RecordType);
        if (recordType < Index(AuditColumns.ParseError)) throw new InvalidOperationException("record_type must come after parse_error");
        return [.. Keys[recordType], (byte)'"', .. ServerLog.RecordTypes.Audit, (byte)'"'];
    }

    private static byte[][] BuildNullMembers()
    {
        var members = new byte[Keys.Length][];
        for (var i = 0; i < members.Length; i++) members[i] = [.. Keys[i], .. "null"u8];
        return members;
    }

    private static int TotalLength(byte[][] parts)
    {
        var total = 0;
        foreach (var part in parts) total += part.Length;
        return total;
    }

    private static int Index(AuditColumn column)
    {
        for (var i = 0; i < AuditColumns.All.Count; i++)
        {
            if (AuditColumns.All[i] == column) return i;
        }

        throw new InvalidOperationException($"{column.Name} is not in AuditColumns.All");
    }

    private static int WriteParameters(Span<byte> d, int n, scoped in AuditLine line, bool escape)
    {
        if (!line.HasParameterList) return Null(d, n, Parameters);

        n = Key(d, n, Parameters);
        d[n++] = (byte)'[';
        var from = 0;
        for (var i = 0; i < line.ParameterEnds.Length; i++)
        {
            if (i > 0) d[n++] = (byte)',';
            n = Quoted(d, n, line.ParameterValues[from..line.ParameterEnds[i]], escape);
            from = line.ParameterEnds[i];
        }

        d[n++] = (byte)']';
        return n;
    }

    // Member key's snippet (`,"name":`) and a null member's (`,"name":null`).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Key(Span<byte> d, int n, int key) => Snippets.Put(KeySlots, KeyLengths, d, n, key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Null(Span<byte> d, int n, int key) => Snippets.Put(NullSlots, NullLengths, d, n, key);

    // A member with a text value; null when not present (a field that is always there once the line parsed may be empty).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Text(Span<byte> d, int n, int key, scoped ReadOnlySpan<byte> value, bool present, bool escape = true) =>
        present ? Quoted(d, Key(d, n, key), value, escape) : Null(d, n, key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Quoted(Span<byte> d, int n, scoped ReadOnlySpan<byte> value, bool escape)
    {
        d[n++] = (byte)'"';
        n += escape ? JsonText.Escape(value, d[n..]) : CopyPlain(value, d[n..]);
        d[n++] = (byte)'"';
        return n;
    }

    // Short values, most of them, as two overlapping words rather than a call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CopyPlain(scoped ReadOnlySpan<byte> value, Span<byte> d)
    {
        var length = value.Length;
        if (length is 0 or > 2 * sizeof(ulong) || d.Length < length)
        {
            value.CopyTo(d);
            return length;
        }

        ref var from = ref MemoryMarshal.GetReference(value);
        ref var to = ref MemoryMarshal.GetReference(d);
        if (length < sizeof(uint))
        {
            // One to three bytes (ids, LOG): the first, the middle and the last.
            to = from;
            Unsafe.Add(ref to, length >> 1) = Unsafe.Add(ref from, length >> 1);
            Unsafe.Add(ref to, length - 1) = Unsafe.Add(ref from, length - 1);
        }
        else if (length >= sizeof(ulong))
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - sizeof(ulong)), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, length - sizeof(ulong))));
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<ulong>(ref from));
        }
        else
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - sizeof(uint)), Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref from, length - sizeof(uint))));
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<uint>(ref from));
        }

        return length;
    }

    // A number whose shortest digits the input held (the envelope's timestamp, the line's pid and ids):
    // those copied, not formatted; else the value formatted, or null.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Number(Span<byte> d, int n, int key, long? value, scoped ReadOnlySpan<byte> digits)
    {
        if (digits.IsEmpty) return NumberOrNull(d, n, key, value);
        n = Key(d, n, key);
        return n + CopyPlain(digits, d[n..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NumberOrNull(Span<byte> d, int n, int key, long? value)
    {
        if (value is not { } v) return Null(d, n, key);
        n = Key(d, n, key);
        if (!Utf8Formatter.TryFormat(v, d[n..], out var written)) throw new ArgumentException("No room left for the number.", nameof(d));
        return n + written;
    }
}
