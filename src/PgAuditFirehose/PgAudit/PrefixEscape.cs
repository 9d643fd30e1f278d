namespace PgAuditFirehose.PgAudit;

/// <summary>A <c>log_line_prefix</c> escape (<c>%t</c>, <c>%r</c>, ...) and how its text is recognised.</summary>
internal enum PrefixEscape : byte
{
    /// <summary>%t: timestamp without milliseconds.</summary>
    Time,
    /// <summary>%m: timestamp with milliseconds.</summary>
    TimeMillis,
    /// <summary>%n: Unix epoch with milliseconds.</summary>
    EpochMillis,
    /// <summary>%s: session start timestamp (not a record column).</summary>
    SessionStart,
    /// <summary>%r: remote host and port, <c>[local]</c>, or empty.</summary>
    RemoteHostPort,
    /// <summary>%h: remote host only.</summary>
    RemoteHost,
    /// <summary>%u: user name.</summary>
    User,
    /// <summary>%d: database name.</summary>
    Database,
    /// <summary>%p: process id.</summary>
    ProcessId,
    /// <summary>%a, %b, %i, %L: free text that is not a record column.</summary>
    OtherText,
    /// <summary>%l, %x, %P, %Q: a number that is not a record column (may be empty or signed).</summary>
    OtherNumber,
    /// <summary>%e: SQLSTATE.</summary>
    SqlState,
    /// <summary>%c: session id, hex.hex.</summary>
    SessionId,
    /// <summary>%v: virtual transaction id n/n, or empty.</summary>
    VirtualXid,
}
