using System.Buffers;
using PgAuditFirehose.ServerLog;

namespace PgAuditFirehose.Records;

/// <summary>Writes a server record as one CSV line, columns in <see cref="AuditColumns.Csv"/> order, escaped as <see cref="AuditCsvWriter"/> escapes.</summary>
internal static class ServerRecordCsvWriter
{
    public static void Write(IBufferWriter<byte> output, ServerRecord record)
    {
        var first = true;
        foreach (var column in AuditColumns.Csv)
        {
            if (column == AuditColumns.LogGroup)
            {
                AuditCsvWriter.Put(output, record.Source.Csv);
                continue;
            }

            if (ServerRecordValues.IsSource(column)) continue;
            if (column == AuditColumns.RecordType)
            {
                AuditCsvWriter.TextOrNull(output, RecordTypes.Name(record.Type), first);
            }
            else if (ServerRecordValues.TextField(column) is { } field && record.Has(field))
            {
                AuditCsvWriter.Separator(output, first);
                AuditCsvWriter.WriteEscaped(output, record.Text(field));
            }
            else if (column.AthenaType is "int" or "bigint")
            {
                if (first) throw new InvalidOperationException("a number cannot be the first column");
                AuditCsvWriter.NumberOrNull(output, ServerRecordValues.Number(record, column));
            }
            else
            {
                AuditCsvWriter.TextOrNull(output, default, first);
            }

            first = false;
        }

        AuditCsvWriter.Put(output, "\n"u8);
    }
}
