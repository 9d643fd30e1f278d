using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.ServerLog;

/// <summary>
/// Reads the log entries that are not pgAudit lines: <c>PREFIX SEVERITY:  [SQLSTATE: ]MESSAGE</c>, and says
/// which record, if any, each becomes. Called only for entries the audit-line parser turned down.
/// </summary>
internal static class ServerEntryParser
{
    private static ReadOnlySpan<byte> SeverityEnd => ":  "u8;

    /// <summary>False when the entry has no <c>SEVERITY:  </c> at all (not a PostgreSQL log entry).</summary>
    public static bool TryParse(LogLinePrefix prefix, ReadOnlySpan<byte> entry, out ServerEntry parsed)
    {
        parsed = default;
        var severityEnd = AuditLineParser.IndexOfSeverityEnd(entry);
        if (severityEnd < 0) return false;
        var head = entry[..severityEnd];
        var start = head.Length;
        while (start > 0 && char.IsAsciiLetterUpper((char)head[start - 1])) start--;
        parsed.Severity = head[start..];
        if (parsed.Severity.IsEmpty) return false;
        parsed.PrefixMatched = prefix.TryMatch(head[..start], ref parsed.Prefix);
        if (!parsed.PrefixMatched) parsed.Prefix = default;

        var message = entry[(severityEnd + SeverityEnd.Length)..];
        parsed.Continuation = Continuations.Of(parsed.Severity);
        if (parsed.Continuation != Continuation.None)
        {
            parsed.Message = message;
            return true;
        }

        // log_error_verbosity = verbose puts the SQLSTATE first: "FATAL:  28P01: password ...".
        if (message.Length >= 7 && message[5] == (byte)':' && message[6] == (byte)' ' && IsSqlState(message[..5]))
        {
            parsed.SqlState = message[..5];
            message = message[7..];
        }

        parsed.Message = message;
        parsed.Type = TypeOf(parsed.Severity, message);
        return true;
    }

    private static ServerRecordType? TypeOf(ReadOnlySpan<byte> severity, ReadOnlySpan<byte> message)
    {
        if (severity.SequenceEqual("FATAL"u8)) return LoginFailures.IsLoginFailure(message) ? ServerRecordType.LoginFailure : ServerRecordType.Error;
        if (severity.SequenceEqual("ERROR"u8) || severity.SequenceEqual("PANIC"u8)) return ServerRecordType.Error;
        if (!severity.SequenceEqual("LOG"u8)) return null;
        if (SessionText.IsConnection(message)) return ServerRecordType.Connection;
        return SessionText.IsDisconnection(message) ? ServerRecordType.Disconnection : null;
    }

    private static bool IsSqlState(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (!(char.IsAsciiDigit((char)b) || char.IsAsciiLetterUpper((char)b))) return false;
        }

        return true;
    }
}
