using System.Buffers;
using System.Buffers.Text;
using System.Text;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Records;

/// <summary>
/// Writes an audit record as one line of JSON, keys in <see cref="AuditColumns.All"/> order, straight
/// into UTF-8 output: the keys are constant, so only the values need work.
/// </summary>
internal static class AuditJsonWriter
{
    private static readonly byte[][] Keys = [.. AuditColumns.All.Select((c, i) => Encoding.UTF8.GetBytes((i == 0 ? "{\"" : ",\"") + c.Name + "\":"))];
    private static readonly int Parameters = Index(AuditColumns.Parameters);
    private static readonly int RawMessage = Index(AuditColumns.RawMessage);

    public static void Write(IBufferWriter<byte> output, scoped in AuditLine line, scoped in AuditSource source)
    {
        var csv = line.HasAuditFields;
        var k = 0;
        TextOrNull(output, Keys[k++], line.LogTime);
        TextOrNull(output, Keys[k++], line.Prefix.RemoteHost);
        NumberOrNull(output, Keys[k++], line.Prefix.RemotePort);
        TextOrNull(output, Keys[k++], line.Prefix.User);
        TextOrNull(output, Keys[k++], line.Prefix.Database);
        NumberOrNull(output, Keys[k++], line.Prefix.ProcessId);
        TextOrNull(output, Keys[k++], line.Severity);
        Text(output, Keys[k++], line.AuditType, csv);
        NumberOrNull(output, Keys[k++], csv ? line.StatementId : null);
        NumberOrNull(output, Keys[k++], csv ? line.SubstatementId : null);
        Text(output, Keys[k++], line.Class, csv);
        Text(output, Keys[k++], line.Command, csv);
        TextOrNull(output, Keys[k++], line.ObjectType);
        TextOrNull(output, Keys[k++], line.ObjectName);
        Text(output, Keys[k++], line.Statement, csv);
        Text(output, Keys[k++], line.Parameter, csv);
        WriteParameters(output, in line);
        k = Parameters + 1;
        NumberOrNull(output, Keys[k++], line.Rows);
        TextOrNull(output, Keys[k++], source.LogGroup);
        TextOrNull(output, Keys[k++], source.LogStream);
        TextOrNull(output, Keys[k++], source.AccountId);
        TextOrNull(output, Keys[k++], source.DbIdentifier);
        TextOrNull(output, Keys[k++], source.LogEventId);
        NumberOrNull(output, Keys[k], source.LogEventTimestamp);
        if (line.ParseError is not null)
        {
            Text(output, Keys[RawMessage], line.RawMessage, present: true);
            Text(output, Keys[RawMessage + 1], Encoding.UTF8.GetBytes(line.ParseError), present: true);
        }

        Put(output, "}\n"u8);
    }

    private static int Index(AuditColumn column)
    {
        for (var i = 0; i < AuditColumns.All.Count; i++)
        {
            if (AuditColumns.All[i] == column) return i;
        }

        throw new InvalidOperationException($"{column.Name} is not in AuditColumns.All");
    }

    private static void WriteParameters(IBufferWriter<byte> output, scoped in AuditLine line)
    {
        Put(output, Keys[Parameters]);
        if (!line.HasParameterList)
        {
            Put(output, "null"u8);
            return;
        }

        Put(output, "["u8);
        var from = 0;
        for (var i = 0; i < line.ParameterEnds.Length; i++)
        {
            if (i > 0) Put(output, ","u8);
            JsonText.WriteString(output, line.ParameterValues[from..line.ParameterEnds[i]]);
            from = line.ParameterEnds[i];
        }

        Put(output, "]"u8);
    }

    // A field that is always there once the line parsed, even when empty.
    private static void Text(IBufferWriter<byte> output, byte[] key, ReadOnlySpan<byte> value, bool present)
    {
        Put(output, key);
        if (present) JsonText.WriteString(output, value);
        else Put(output, "null"u8);
    }

    private static void TextOrNull(IBufferWriter<byte> output, byte[] key, ReadOnlySpan<byte> value) => Text(output, key, value, !value.IsEmpty);

    private static void NumberOrNull(IBufferWriter<byte> output, byte[] key, long? value)
    {
        Put(output, key);
        if (value is not { } v)
        {
            Put(output, "null"u8);
            return;
        }

        Utf8Formatter.TryFormat(v, output.GetSpan(20), out var written);
        output.Advance(written);
    }

    private static void Put(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
