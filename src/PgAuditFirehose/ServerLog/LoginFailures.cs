namespace PgAuditFirehose.ServerLog;

/// <summary>
/// The FATAL messages with which PostgreSQL (15-17, libpq/auth.c, utils/init/postinit.c, utils/init/miscinit.c)
/// refuses a connection for who is asking: failed authentication, a pg_hba.conf rule, a role or database
/// that is not there or not allowed. Refusals for load or state (too many connections, a database not
/// accepting connections, start-up and shut-down) are ERROR records. The same texts at ERROR level
/// (<c>DROP DATABASE nosuch</c>) are ERROR records too: only FATAL refuses a connection.
/// </summary>
internal static class LoginFailures
{
    // "<method> authentication failed for user "…"" for every method (password, SCRAM and md5 all say
    // "password"; Peer, Ident, LDAP, certificate, RADIUS, GSSAPI, SSPI, PAM, BSD), and auth_failed's
    // "authentication failed for user "…": host rejected" / ": invalid authentication method".
    private static ReadOnlySpan<byte> AuthenticationFailed => "authentication failed for user \""u8;

    private static readonly byte[][] Starts =
    [
        "no pg_hba.conf entry for "u8.ToArray(),
        "pg_hba.conf rejects "u8.ToArray(),
        "connection requires a valid client certificate"u8.ToArray(),
        "permission denied for database "u8.ToArray(),
    ];

    /// <summary>True when a FATAL entry's <paramref name="message"/> (after any SQLSTATE) refuses a login.</summary>
    public static bool IsLoginFailure(ReadOnlySpan<byte> message)
    {
        var failed = message.IndexOf(AuthenticationFailed);
        // At the start, or after the method's one word ("password", "LDAP", "\"trust\"").
        if (failed == 0 || (failed > 0 && message[failed - 1] == (byte)' ' && message[..(failed - 1)].IndexOf((byte)' ') < 0)) return true;
        foreach (var start in Starts)
        {
            if (message.StartsWith(start)) return true;
        }

        // role "…" does not exist / is not permitted to log in; database "…" does not exist.
        return (message.StartsWith("role \""u8) && (message.EndsWith("\" does not exist"u8) || message.EndsWith("\" is not permitted to log in"u8)))
            || (message.StartsWith("database \""u8) && message.EndsWith("\" does not exist"u8));
    }
}
