namespace PgAuditFirehose.LogFiles;

/// <summary>What reading one log file (or part of it, while in progress) found.</summary>
/// <param name="Bytes">Bytes read from the input.</param>
/// <param name="Lines">Text lines (a multi-line entry counts each of its lines).</param>
/// <param name="Entries">Log entries: a line and the tab-indented lines that continue it.</param>
/// <param name="AuditRecords">Audit lines written as records, including those that failed to parse.</param>
/// <param name="Skipped">Entries that became no record and joined none (other log messages).</param>
/// <param name="ParseFailures">Audit lines written with <c>parse_error</c> set.</param>
/// <param name="FirstFailureLine">Line number of the first audit line that failed to parse.</param>
/// <param name="ServerRecords">CONNECTION, DISCONNECTION, LOGIN_FAILURE and ERROR records written.</param>
public readonly record struct LogFileSummary(
    long Bytes,
    long Lines,
    long Entries,
    long AuditRecords,
    long Skipped,
    long ParseFailures,
    long? FirstFailureLine,
    long ServerRecords = 0);
