using System.Buffers;
using System.Buffers.Text;
using PgAuditFirehose.ServerLog;

namespace PgAuditFirehose.Records;

/// <summary>
/// Writes a server record as one line of JSON, keys in <see cref="AuditColumns.All"/> order like an audit
/// record's. Not on the audit lines' path: simple rather than fast.
/// </summary>
internal static class ServerRecordJsonWriter
{
    public static void Write(IBufferWriter<byte> output, ServerRecord record)
    {
        var keys = AuditJsonWriter.MemberKeys;
        for (var i = 0; i < AuditColumns.All.Count; i++)
        {
            var column = AuditColumns.All[i];
            if (column == AuditColumns.LogGroup)
            {
                AuditCsvWriter.Put(output, record.Source.Json);
                continue;
            }

            if (ServerRecordValues.IsSource(column)) continue;
            // As on audit records, raw_message and parse_error are there only when the entry failed to parse.
            if ((column == AuditColumns.RawMessage || column == AuditColumns.ParseError) && !record.Has(ServerField.ParseError)) continue;
            AuditCsvWriter.Put(output, keys[i]);
            if (column == AuditColumns.RecordType)
            {
                JsonText.WriteString(output, RecordTypes.Name(record.Type));
            }
            else if (ServerRecordValues.TextField(column) is { } field && record.Has(field))
            {
                JsonText.WriteString(output, record.Text(field));
            }
            else if (ServerRecordValues.Number(record, column) is { } number)
            {
                Utf8Formatter.TryFormat(number, output.GetSpan(20), out var written);
                output.Advance(written);
            }
            else
            {
                AuditCsvWriter.Put(output, "null"u8);
            }
        }

        AuditCsvWriter.Put(output, "}\n"u8);
    }
}
