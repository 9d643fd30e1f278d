using System.Buffers;
using System.Buffers.Text;
using PgAuditFirehose.ServerLog;
using static PgAuditFirehose.Records.ServerRecordValues;

namespace PgAuditFirehose.Records;

/// <summary>
/// Writes a server record as one line of JSON, keys in <see cref="AuditColumns.All"/> order like an audit
/// record's, into room reserved once for the worst case.
/// </summary>
internal static class ServerRecordJsonWriter
{
    private static readonly int RawMessage = Index(AuditColumns.RawMessage);
    private static readonly int ParseError = Index(AuditColumns.ParseError);
    private static readonly int KeysLength = AuditJsonWriter.MemberKeys.Sum(k => k.Length);

    public static void Write(IBufferWriter<byte> output, ServerRecord record)
    {
        var keys = AuditJsonWriter.MemberKeys;
        var d = output.GetSpan(MaxLength(record));
        var n = 0;
        // As on audit records, raw_message and parse_error are there only when the entry failed to parse.
        var failed = record.Has(ServerField.ParseError);
        for (var i = 0; i < Kinds.Length; i++)
        {
            var kind = Kinds[i];
            // redacted too, as on audit records: there only when secrets were replaced.
            if (kind == Kind.SkippedSource || (!failed && (i == RawMessage || i == ParseError)) || (kind == Kind.Redacted && !record.Redacted)) continue;
            if (kind == Kind.Source)
            {
                n += Put(record.Source.Json, d[n..]);
                continue;
            }

            n += Put(keys[i], d[n..]);
            if (kind == Kind.RecordType) n += Quoted(RecordTypes.Name(record.Type), d[n..]);
            else if (kind == Kind.Redacted) n += Put("true"u8, d[n..]);
            else if (kind == Kind.Text && record.Has(Fields[i])) n += Quoted(record.Text(Fields[i]), d[n..]);
            else if (kind == Kind.Number && Number(record, AuditColumns.All[i]) is { } number)
            {
                Utf8Formatter.TryFormat(number, d[n..], out var written);
                n += written;
            }
            else n += Put("null"u8, d[n..]);
        }

        n += Put("}\n"u8, d[n..]);
        output.Advance(n);
    }

    private static int MaxLength(ServerRecord record)
    {
        var text = 0;
        for (var field = 0; field < ServerRecord.FieldCount; field++) text += record.Text((ServerField)field).Length;
        return KeysLength + record.Source.Json.Length + (6 * text) + (24 * Kinds.Length) + 8;
    }

    private static int Quoted(ReadOnlySpan<byte> value, Span<byte> d)
    {
        d[0] = (byte)'"';
        var n = 1 + JsonText.Escape(value, d[1..]);
        d[n++] = (byte)'"';
        return n;
    }

    private static int Put(ReadOnlySpan<byte> bytes, Span<byte> d)
    {
        bytes.CopyTo(d);
        return bytes.Length;
    }

    private static int Index(AuditColumn column)
    {
        for (var i = 0; i < AuditColumns.All.Count; i++)
        {
            if (AuditColumns.All[i] == column) return i;
        }

        throw new InvalidOperationException($"{column.Name} is not in AuditColumns.All");
    }
}
