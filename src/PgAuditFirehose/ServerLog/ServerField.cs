namespace PgAuditFirehose.ServerLog;

/// <summary>The text values a server record holds (numbers are properties of <see cref="ServerRecord"/>).</summary>
internal enum ServerField
{
    LogTime,
    RemoteHost,
    User,
    Database,
    Severity,
    Statement,
    Message,
    Detail,
    Hint,
    Context,
    SqlState,
    ApplicationName,
    LogEventId,
    RawMessage,
    // Last: ServerRecord.FieldCount counts up to it.
    ParseError,
}
