namespace PgAuditFirehose.Records;

/// <summary>
/// One column of the audit record: its JSON key / Athena column name and its Athena type.
/// <paramref name="MayHoldSecrets"/>: the column's text can carry SQL or a log message with secrets in
/// it, so redaction (REDACT_SECRETS) looks at it (see docs/redaction.md and AuditLine.SecretText).
/// </summary>
public sealed record AuditColumn(string Name, string AthenaType, string Description, bool MayHoldSecrets = false);
