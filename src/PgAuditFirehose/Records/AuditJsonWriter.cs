using System.Buffers;
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
    private static readonly int Parameters = Index(AuditColumns.Parameters);
    private static readonly int RawMessage = Index(AuditColumns.RawMessage);
    private static readonly int LogGroup = Index(AuditColumns.LogGroup);
    private static readonly int LogEventId = Index(AuditColumns.LogEventId);

    public static void Write(IBufferWriter<byte> output, scoped in AuditLine line, scoped in AuditSource source)
    {
        byte[] error = line.ParseError is null ? [] : Encoding.UTF8.GetBytes(line.ParseError);
        var w = new SpanWriter(output.GetSpan(MaxLength(in line, in source, error.Length)));
        var csv = line.HasAuditFields;
        var k = 0;
        // Text known to hold nothing to escape is copied as it is: all of a line from a message that was
        // written without escapes, else the fields the parser saw to be plain.
        var message = !source.PlainMessage;
        var prefix = message && !line.PlainPrefix;
        var leading = message && !line.PlainLeadingFields;
        Text(ref w, k++, line.LogTime, !line.LogTime.IsEmpty, escape: false);
        Text(ref w, k++, line.Prefix.RemoteHost, !line.Prefix.RemoteHost.IsEmpty, prefix);
        NumberOrNull(ref w, k++, line.Prefix.RemotePort);
        Text(ref w, k++, line.Prefix.User, !line.Prefix.User.IsEmpty, prefix);
        Text(ref w, k++, line.Prefix.Database, !line.Prefix.Database.IsEmpty, prefix);
        NumberOrNull(ref w, k++, line.Prefix.ProcessId);
        Text(ref w, k++, line.Severity, !line.Severity.IsEmpty, escape: false);
        Text(ref w, k++, line.AuditType, csv, leading);
        NumberOrNull(ref w, k++, csv ? line.StatementId : null);
        NumberOrNull(ref w, k++, csv ? line.SubstatementId : null);
        Text(ref w, k++, line.Class, csv, leading);
        Text(ref w, k++, line.Command, csv, leading);
        Text(ref w, k++, line.ObjectType, !line.ObjectType.IsEmpty, leading);
        Text(ref w, k++, line.ObjectName, !line.ObjectName.IsEmpty, leading);
        Text(ref w, k++, line.Statement, csv, message);
        Text(ref w, k++, line.Parameter, csv, message);
        WriteParameters(ref w, in line, message);
        k = Parameters + 1;
        NumberOrNull(ref w, k, line.Rows);
        w.Put(source.Record.Json);
        k = LogEventId;
        Text(ref w, k++, source.LogEventId, !source.LogEventId.IsEmpty, !source.PlainLogEventId);
        NumberOrNull(ref w, k, source.LogEventTimestamp);
        if (line.ParseError is not null)
        {
            Text(ref w, RawMessage, line.RawMessage, present: true, message);
            Text(ref w, RawMessage + 1, error, present: true);
        }

        w.Put("}\n"u8);
        output.Advance(w.Written);
    }

    /// <summary>
    /// The most the line can take: the keys, every value byte escaped to 6, and for each value its
    /// quotes or null, or 20 digits, or a comma between parameters; and a key slot's room at the end.
    /// </summary>
    private static int MaxLength(scoped in AuditLine line, scoped in AuditSource source, int errorLength)
    {
        long text = line.LogTime.Length + line.Prefix.RemoteHost.Length + line.Prefix.User.Length + line.Prefix.Database.Length
            + line.Severity.Length + line.AuditType.Length + line.Class.Length + line.Command.Length + line.ObjectType.Length
            + line.ObjectName.Length + line.Statement.Length + line.Parameter.Length + line.ParameterValues.Length
            + source.LogEventId.Length + line.RawMessage.Length + errorLength;
        var record = source.Record.Json.Length;
        var slack = Math.Max(KeySnippets.SlotLength, NullSnippets.SlotLength);
        return checked((int)(KeysLength + record + (6 * text) + (20 * Keys.Length) + (3 * line.ParameterEnds.Length) + 4 + slack));
    }

    /// <summary>The log group, log stream, account and database identifier members, for <see cref="RecordColumns"/>.</summary>
    public static byte[] SourceMembers(byte[][] values)
    {
        var room = 0;
        for (var i = 0; i < values.Length; i++) room += Keys[LogGroup + i].Length + (6 * values[i].Length) + 6;
        var buffer = new byte[room];
        var w = new SpanWriter(buffer);
        for (var i = 0; i < values.Length; i++) TextOrNull(ref w, LogGroup + i, values[i]);
        return buffer[..w.Written];
    }

    private static byte[][] BuildKeys()
    {
        var keys = new byte[AuditColumns.All.Count][];
        for (var i = 0; i < keys.Length; i++) keys[i] = Encoding.UTF8.GetBytes((i == 0 ? "{\"" : ",\"") + AuditColumns.All[i].Name + "\":");
        return keys;
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

    private static void WriteParameters(ref SpanWriter w, scoped in AuditLine line, bool escape)
    {
        if (!line.HasParameterList)
        {
            NullSnippets.Put(ref w, Parameters);
            return;
        }

        KeySnippets.Put(ref w, Parameters);
        w.Put("["u8);
        var from = 0;
        for (var i = 0; i < line.ParameterEnds.Length; i++)
        {
            if (i > 0) w.Put(","u8);
            var value = line.ParameterValues[from..line.ParameterEnds[i]];
            if (escape) w.JsonString(value);
            else w.QuotedPlain(value);
            from = line.ParameterEnds[i];
        }

        w.Put("]"u8);
    }

    // A field that is always there once the line parsed, even when empty.
    private static void Text(ref SpanWriter w, int key, scoped ReadOnlySpan<byte> value, bool present, bool escape = true)
    {
        if (!present)
        {
            NullSnippets.Put(ref w, key);
            return;
        }

        KeySnippets.Put(ref w, key);
        if (escape) w.JsonString(value);
        else w.QuotedPlain(value);
    }

    private static void TextOrNull(ref SpanWriter w, int key, scoped ReadOnlySpan<byte> value) => Text(ref w, key, value, !value.IsEmpty);

    private static void NumberOrNull(ref SpanWriter w, int key, long? value)
    {
        if (value is not { } v)
        {
            NullSnippets.Put(ref w, key);
            return;
        }

        KeySnippets.Put(ref w, key);
        w.Number(v);
    }
}
