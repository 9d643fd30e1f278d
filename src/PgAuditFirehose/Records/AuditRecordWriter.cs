using System.Buffers;
using System.Runtime.CompilerServices;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Records;

/// <summary>Writes one audit record in the configured <see cref="OutputFormat"/>.</summary>
internal static class AuditRecordWriter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(OutputFormat format, IBufferWriter<byte> output, scoped in AuditLine line, scoped in AuditSource source)
    {
        if (format == OutputFormat.Csv) AuditCsvWriter.Write(output, in line, in source);
        else AuditJsonWriter.Write(output, in line, in source);
    }
}
