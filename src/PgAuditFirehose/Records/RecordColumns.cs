using System.Text;

namespace PgAuditFirehose.Records;

/// <summary>
/// The source columns every line of one Firehose record shares — log group, log stream, account and
/// database identifier — written once per record (in the format asked for) and copied onto every line.
/// </summary>
internal sealed class RecordColumns
{
    /// <summary>For lines without a CloudWatch Logs source (a log file): these columns are null.</summary>
    public static readonly RecordColumns None = new(null, null, null, null);

    private readonly byte[][] _values;
    private byte[]? _json;
    private byte[]? _csv;

    /// <summary>Empty values count as unknown and are written as null.</summary>
    public RecordColumns(string? logGroup, string? logStream, string? accountId, string? dbIdentifier) =>
        _values = [Utf8(logGroup), Utf8(logStream), Utf8(accountId), Utf8(dbIdentifier)];

    /// <summary>The four as JSON members, each after a comma: <c>,"log_group":"...",...,"db_identifier":...</c>.</summary>
    public byte[] Json => _json ??= AuditJsonWriter.SourceMembers(_values);

    /// <summary>The four as CSV fields, each after a comma.</summary>
    public byte[] Csv => _csv ??= AuditCsvWriter.SourceFields(_values);

    private static byte[] Utf8(string? text) => string.IsNullOrEmpty(text) ? [] : Encoding.UTF8.GetBytes(text);
}
