namespace PgAuditFirehose.ServerLog;

/// <summary>The server log's record types; AUDIT records come from pgAudit lines.</summary>
internal enum ServerRecordType
{
    Connection,
    Disconnection,
    LoginFailure,
    Error,
}

/// <summary>The <c>record_type</c> column's values.</summary>
internal static class RecordTypes
{
    public static ReadOnlySpan<byte> Audit => "AUDIT"u8;

    public static ReadOnlySpan<byte> Name(ServerRecordType type) => type switch
    {
        ServerRecordType.Connection => "CONNECTION"u8,
        ServerRecordType.Disconnection => "DISCONNECTION"u8,
        ServerRecordType.LoginFailure => "LOGIN_FAILURE"u8,
        _ => "ERROR"u8,
    };
}
