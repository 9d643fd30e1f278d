using System.Buffers;
using PgAuditFirehose.ServerLog;
using static PgAuditFirehose.Records.ServerRecordValues;

namespace PgAuditFirehose.Records;

/// <summary>Writes a server record as one CSV line, columns in <see cref="AuditColumns.Csv"/> order (all but <c>parameters</c>), escaped as <see cref="AuditCsvWriter"/> escapes.</summary>
internal static class ServerRecordCsvWriter
{
    public static void Write(IBufferWriter<byte> output, ServerRecord record)
    {
        var first = true;
        for (var i = 0; i < Kinds.Length; i++)
        {
            var column = AuditColumns.All[i];
            if (column == AuditColumns.Parameters) continue;
            switch (Kinds[i])
            {
                case Kind.Source:
                    AuditCsvWriter.Put(output, record.Source.Csv);
                    continue;
                case Kind.SkippedSource:
                    continue;
                case Kind.RecordType:
                    AuditCsvWriter.TextOrNull(output, RecordTypes.Name(record.Type), first);
                    break;
                case Kind.Redacted when record.Redacted:
                    AuditCsvWriter.Put(output, ",true"u8);
                    break;
                case Kind.Text when record.Has(Fields[i]):
                    AuditCsvWriter.Separator(output, first);
                    AuditCsvWriter.WriteEscaped(output, record.Text(Fields[i]));
                    break;
                case Kind.Number:
                    if (first) throw new InvalidOperationException("a number cannot be the first column");
                    AuditCsvWriter.NumberOrNull(output, Number(record, column));
                    break;
                default:
                    AuditCsvWriter.TextOrNull(output, default, first);
                    break;
            }

            first = false;
        }

        AuditCsvWriter.Put(output, "\n"u8);
    }
}
