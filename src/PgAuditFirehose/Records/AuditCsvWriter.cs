using System.Buffers;
using System.Buffers.Text;
using System.Text;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Records;

/// <summary>
/// Writes an audit record as one line of comma-separated text that Athena's LazySimpleSerDe reads
/// (<c>ESCAPED BY '\\'</c>, NULL as <c>\N</c>). Athena cannot read a line break inside a field, and its
/// engines disagree on what <c>\n</c> means, so a value is first C-escaped (<c>\\</c>, <c>\n</c>, <c>\r</c>)
/// and then escaped for the SerDe (<c>\\</c>, <c>\,</c>): every engine reads back the C-escaped text,
/// and the README's view turns it into the original.
/// </summary>
internal static class AuditCsvWriter
{
    private static ReadOnlySpan<byte> Null => "\\N"u8;

    // The columns after parse_error, as every audit record has them.
    private static readonly byte[] AuditTail = BuildAuditTail();

    public static void Write(IBufferWriter<byte> output, scoped in AuditLine line, scoped in AuditSource source)
    {
        if (line.StatementEscaped) throw new InvalidOperationException("a statement taken JSON-escaped cannot be written as CSV");
        var csv = line.HasAuditFields;
        TextOrNull(output, line.LogTime, first: true);
        TextOrNull(output, line.Prefix.RemoteHost);
        NumberOrNull(output, line.Prefix.RemotePort);
        TextOrNull(output, line.Prefix.User);
        TextOrNull(output, line.Prefix.Database);
        NumberOrNull(output, line.Prefix.ProcessId);
        TextOrNull(output, line.Severity);
        Text(output, line.AuditType, csv);
        NumberOrNull(output, csv ? line.StatementId : null);
        NumberOrNull(output, csv ? line.SubstatementId : null);
        Text(output, line.Class, csv);
        Text(output, line.Command, csv);
        TextOrNull(output, line.ObjectType);
        TextOrNull(output, line.ObjectName);
        Text(output, line.Statement, csv);
        Text(output, line.Parameter, csv);
        NumberOrNull(output, line.Rows);
        Put(output, source.Record.Csv);
        TextOrNull(output, source.LogEventId);
        NumberOrNull(output, source.LogEventTimestamp);
        var failed = line.ParseError is not null;
        Text(output, line.RawMessage, failed);
        StringOrNull(output, line.ParseError);
        Put(output, AuditTail);
        Put(output, line.Redacted ? ",true\n"u8 : ",\\N\n"u8);
    }

    /// <summary>The log group, log stream, account and database identifier fields, for <see cref="RecordColumns"/>.</summary>
    public static byte[] SourceFields(byte[][] values)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var value in values) TextOrNull(output, value);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] BuildAuditTail()
    {
        var output = new ArrayBufferWriter<byte>();
        var parseError = false;
        foreach (var column in AuditColumns.Csv)
        {
            if (parseError && column != AuditColumns.Redacted) TextOrNull(output, column == AuditColumns.RecordType ? ServerLog.RecordTypes.Audit : default);
            parseError |= column == AuditColumns.ParseError;
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Escapes one value; what Athena reads back is the C-escaped text.</summary>
    public static void WriteEscaped(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            var special = IndexOfSpecial(value);
            var plain = special < 0 ? value : value[..special];
            Put(output, plain);
            if (special < 0) return;
            Put(output, value[special] switch
            {
                (byte)'\\' => "\\\\\\\\"u8,
                (byte)',' => "\\,"u8,
                (byte)'\n' => "\\\\n"u8,
                _ => "\\\\r"u8,
            });
            value = value[(special + 1)..];
        }
    }

    // Two searches for two bytes each rather than one for four: the four-value IndexOfAny is a generic
    // method the ReadyToRun image does not hold, so CSV output's first invocation had to jit it.
    private static int IndexOfSpecial(ReadOnlySpan<byte> value)
    {
        var escaped = value.IndexOfAny((byte)'\\', (byte)',');
        var lineBreak = (escaped < 0 ? value : value[..escaped]).IndexOfAny((byte)'\n', (byte)'\r');
        return lineBreak >= 0 ? lineBreak : escaped;
    }

    internal static void Separator(IBufferWriter<byte> output, bool first)
    {
        if (!first) Put(output, ","u8);
    }

    private static void Text(IBufferWriter<byte> output, ReadOnlySpan<byte> value, bool present)
    {
        Separator(output, first: false);
        if (present) WriteEscaped(output, value);
        else Put(output, Null);
    }

    internal static void TextOrNull(IBufferWriter<byte> output, ReadOnlySpan<byte> value, bool first = false)
    {
        Separator(output, first);
        if (value.IsEmpty) Put(output, Null);
        else WriteEscaped(output, value);
    }

    private static void StringOrNull(IBufferWriter<byte> output, string? value)
    {
        Separator(output, first: false);
        if (value is null) Put(output, Null);
        else WriteEscaped(output, Encoding.UTF8.GetBytes(value));
    }

    internal static void NumberOrNull(IBufferWriter<byte> output, long? value)
    {
        Separator(output, first: false);
        if (value is not { } v)
        {
            Put(output, Null);
            return;
        }

        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(v, span, out var written);
        output.Advance(written);
    }

    internal static void Put(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
