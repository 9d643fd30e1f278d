using PgAuditFirehose.ServerLog;

namespace PgAuditFirehose.Records;

/// <summary>
/// A server record's value for each column of <see cref="AuditColumns.All"/>, worked out once per column:
/// the writers go down the one list.
/// </summary>
internal static class ServerRecordValues
{
    /// <summary>What a column holds on a server record.</summary>
    public enum Kind
    {
        Null,
        Text,
        Number,
        RecordType,
        Source,
        SkippedSource,
        Redacted,
    }

    /// <summary>By column index: the kind, and for text the field.</summary>
    public static readonly Kind[] Kinds = Build(out Fields);

    public static readonly ServerField[] Fields;

    public static long? Number(ServerRecord record, AuditColumn column) => column.Name switch
    {
        "remote_port" => record.RemotePort,
        "process_id" => record.ProcessId,
        "log_event_timestamp" => record.LogEventTimestamp,
        "session_duration_ms" => record.SessionDurationMs,
        _ => null,
    };

    private static Kind[] Build(out ServerField[] fields)
    {
        var kinds = new Kind[AuditColumns.All.Count];
        fields = new ServerField[kinds.Length];
        for (var i = 0; i < kinds.Length; i++)
        {
            var column = AuditColumns.All[i];
            if (TextField(column) is { } field)
            {
                kinds[i] = Kind.Text;
                fields[i] = field;
            }
            else if (column == AuditColumns.RecordType) kinds[i] = Kind.RecordType;
            else if (column == AuditColumns.Redacted) kinds[i] = Kind.Redacted;
            else if (column == AuditColumns.LogGroup) kinds[i] = Kind.Source;
            else if (column == AuditColumns.LogStream || column == AuditColumns.AccountId || column == AuditColumns.DbIdentifier) kinds[i] = Kind.SkippedSource;
            else if (column.Name is "remote_port" or "process_id" or "log_event_timestamp" or "session_duration_ms") kinds[i] = Kind.Number;
        }

        return kinds;
    }

    // The four source columns (log group to database identifier) come written as one piece from RecordColumns.
    private static ServerField? TextField(AuditColumn column) => column.Name switch
    {
        "log_time" => ServerField.LogTime,
        "remote_host" => ServerField.RemoteHost,
        "user_name" => ServerField.User,
        "database_name" => ServerField.Database,
        "severity" => ServerField.Severity,
        "statement" => ServerField.Statement,
        "log_event_id" => ServerField.LogEventId,
        "raw_message" => ServerField.RawMessage,
        "parse_error" => ServerField.ParseError,
        "message" => ServerField.Message,
        "detail" => ServerField.Detail,
        "hint" => ServerField.Hint,
        "context" => ServerField.Context,
        "sql_state" => ServerField.SqlState,
        "application_name" => ServerField.ApplicationName,
        _ => null,
    };
}
