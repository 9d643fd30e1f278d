using PgAuditFirehose.ServerLog;

namespace PgAuditFirehose.Records;

/// <summary>A server record's value for each column of <see cref="AuditColumns.All"/>: the writers go down the one list.</summary>
internal static class ServerRecordValues
{
    /// <summary>Which text field a column takes, or null for a number or a column server records leave null.</summary>
    public static ServerField? TextField(AuditColumn column) => column.Name switch
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

    public static long? Number(ServerRecord record, AuditColumn column) => column.Name switch
    {
        "remote_port" => record.RemotePort,
        "process_id" => record.ProcessId,
        "log_event_timestamp" => record.LogEventTimestamp,
        "session_duration_ms" => record.SessionDurationMs,
        _ => null,
    };

    /// <summary>The four source columns (log group to database identifier) come written as one piece from <see cref="RecordColumns"/>.</summary>
    public static bool IsSource(AuditColumn column) =>
        column == AuditColumns.LogGroup || column == AuditColumns.LogStream || column == AuditColumns.AccountId || column == AuditColumns.DbIdentifier;
}
