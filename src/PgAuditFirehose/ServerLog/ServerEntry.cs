using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.ServerLog;

/// <summary>
/// A log entry that is not a pgAudit line, as far as the server log's records need it. Spans point into
/// the entry; <see cref="Message"/> still has the tab after each newline.
/// </summary>
internal ref struct ServerEntry
{
    public PrefixFields Prefix;

    /// <summary>False when the text before the severity does not match log_line_prefix (the prefix fields are then absent).</summary>
    public bool PrefixMatched;

    /// <summary>The severity word: ERROR, FATAL, LOG, ..., or a continuation's DETAIL, HINT, ...</summary>
    public ReadOnlySpan<byte> Severity;

    /// <summary>The SQLSTATE log_error_verbosity=verbose writes before a message; empty otherwise.</summary>
    public ReadOnlySpan<byte> SqlState;

    /// <summary>The text after <c>SEVERITY:  </c> (and the SQLSTATE).</summary>
    public ReadOnlySpan<byte> Message;

    /// <summary>Which continuation this entry is, or <see cref="Continuation.None"/> for a message of its own.</summary>
    public Continuation Continuation;

    /// <summary>The record a message of its own becomes; null when it becomes none (skipped).</summary>
    public ServerRecordType? Type;
}
