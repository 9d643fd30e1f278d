namespace PgAuditFirehose.Tests.Support;

/// <summary>Writes test values the way pgAudit writes its CSV fields.</summary>
internal static class PgAuditCsv
{
    /// <summary>Quoted when the value holds a comma, quote or line break; a quote inside is doubled.</summary>
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
