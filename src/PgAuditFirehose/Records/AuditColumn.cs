namespace PgAuditFirehose.Records;

/// <summary>One column of the audit record: its JSON key / Athena column name and its Athena type.</summary>
public sealed record AuditColumn(string Name, string AthenaType, string Description);
