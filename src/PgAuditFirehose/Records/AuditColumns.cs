namespace PgAuditFirehose.Records;

/// <summary>
/// The one column list of the record, for every record type (AUDIT and the server log's CONNECTION,
/// DISCONNECTION, LOGIN_FAILURE and ERROR). The JSON writer, the CSV writer, the Glue table in
/// template.yaml and the docs' column tables all follow it; tests hold them to it.
/// </summary>
public static class AuditColumns
{
    public static readonly AuditColumn LogTime = new("log_time", "string", "When PostgreSQL wrote the line, ISO 8601 UTC (from %t, %m or %n).");
    public static readonly AuditColumn RemoteHost = new("remote_host", "string", "Client host or address (%r/%h); [local] for the unix socket; null for background processes.");
    public static readonly AuditColumn RemotePort = new("remote_port", "int", "Client port, null when not a TCP connection.");
    public static readonly AuditColumn UserName = new("user_name", "string", "Session user (%u).");
    public static readonly AuditColumn DatabaseName = new("database_name", "string", "Database (%d).");
    public static readonly AuditColumn ProcessId = new("process_id", "int", "Backend process id (%p).");
    public static readonly AuditColumn Severity = new("severity", "string", "AUDIT: LOG, NOTICE, WARNING, INFO or DEBUG; server entries: LOG, ERROR, FATAL or PANIC; null for separated continuations.");
    public static readonly AuditColumn AuditType = new("audit_type", "string", "SESSION or OBJECT.");
    public static readonly AuditColumn StatementId = new("statement_id", "bigint", "pgAudit statement id (per backend).");
    public static readonly AuditColumn SubstatementId = new("substatement_id", "bigint", "pgAudit substatement id within the statement.");
    public static readonly AuditColumn Class = new("class", "string", "READ, WRITE, FUNCTION, ROLE, DDL or MISC.");
    public static readonly AuditColumn Command = new("command", "string", "Command tag, e.g. CREATE TABLE; ??? when unknown.");
    public static readonly AuditColumn ObjectType = new("object_type", "string", "TABLE, VIEW, FUNCTION, ...; null when not logged.");
    public static readonly AuditColumn ObjectName = new("object_name", "string", "Fully qualified object name; null when not logged.");
    public static readonly AuditColumn Statement = new("statement", "string", "AUDIT: the statement text as the client sent it; ERROR, LOGIN_FAILURE: the STATEMENT: entry that followed (secrets redacted, see redacted).", MayHoldSecrets: true);
    public static readonly AuditColumn Parameter = new("parameter", "string", "The PARAMETER field as pgAudit wrote it: <none>, <not logged>, or a CSV list.", MayHoldSecrets: true);
    public static readonly AuditColumn Parameters = new("parameters", "array<string>", "The parameter list split into values; null when not a list.", MayHoldSecrets: true);
    public static readonly AuditColumn Rows = new("rows", "bigint", "Rows retrieved or affected (pgaudit.log_rows=on), else null.");
    public static readonly AuditColumn LogGroup = new("log_group", "string", "CloudWatch Logs log group.");
    public static readonly AuditColumn LogStream = new("log_stream", "string", "CloudWatch Logs log stream (the instance).");
    public static readonly AuditColumn AccountId = new("account_id", "string", "AWS account that owns the log group.");
    public static readonly AuditColumn DbIdentifier = new("db_identifier", "string", "Cluster or instance id from /aws/rds/cluster|instance/<id>/postgresql.");
    public static readonly AuditColumn LogEventId = new("log_event_id", "string", "CloudWatch Logs event id.");
    public static readonly AuditColumn LogEventTimestamp = new("log_event_timestamp", "bigint", "CloudWatch Logs event time, epoch milliseconds.");
    public static readonly AuditColumn RawMessage = new("raw_message", "string", "Only when the line could not be parsed: the line as received.", MayHoldSecrets: true);
    public static readonly AuditColumn ParseError = new("parse_error", "string", "Only when the line could not be parsed: why.");
    public static readonly AuditColumn RecordType = new("record_type", "string", "AUDIT, CONNECTION, DISCONNECTION, LOGIN_FAILURE or ERROR.");
    public static readonly AuditColumn Message = new("message", "string", "Server entries: the text after the severity (and SQLSTATE), with ' at character N'; null for AUDIT.", MayHoldSecrets: true);
    public static readonly AuditColumn Detail = new("detail", "string", "ERROR, LOGIN_FAILURE: the DETAIL: entry that followed.", MayHoldSecrets: true);
    public static readonly AuditColumn Hint = new("hint", "string", "ERROR, LOGIN_FAILURE: the HINT: entry that followed.", MayHoldSecrets: true);
    public static readonly AuditColumn Context = new("context", "string", "ERROR, LOGIN_FAILURE: the CONTEXT: entry that followed.", MayHoldSecrets: true);
    public static readonly AuditColumn SqlState = new("sql_state", "string", "Server entries: the SQLSTATE when log_error_verbosity=verbose wrote it, else null.");
    public static readonly AuditColumn ApplicationName = new("application_name", "string", "CONNECTION: application_name from the connection authorized entry.");
    public static readonly AuditColumn SessionDurationMs = new("session_duration_ms", "bigint", "DISCONNECTION: the session time in milliseconds.");
    public static readonly AuditColumn Redacted = new("redacted", "boolean", "true when secrets were replaced by <REDACTED> in the record's text (REDACT_SECRETS); else null.");

    /// <summary>Every column, in record order.</summary>
    public static readonly IReadOnlyList<AuditColumn> All =
    [
        LogTime, RemoteHost, RemotePort, UserName, DatabaseName, ProcessId, Severity,
        AuditType, StatementId, SubstatementId, Class, Command, ObjectType, ObjectName,
        Statement, Parameter, Parameters, Rows,
        LogGroup, LogStream, AccountId, DbIdentifier, LogEventId, LogEventTimestamp,
        RawMessage, ParseError,
        RecordType, Message, Detail, Hint, Context, SqlState, ApplicationName, SessionDurationMs,
        Redacted,
    ];

    /// <summary>The CSV columns: every column but <c>parameters</c>, in record order.</summary>
    public static readonly IReadOnlyList<AuditColumn> Csv = AllBut(Parameters);

    // A loop, not Linq: the columns are set up at the first invocation, where Linq's generics are JIT work.
    private static AuditColumn[] AllBut(AuditColumn left)
    {
        var columns = new List<AuditColumn>(All.Count);
        foreach (var column in All)
        {
            if (column != left) columns.Add(column);
        }

        return [.. columns];
    }
}
