namespace PgAuditFirehose.Cli.Db;

/// <summary>Quoting for the few statements that cannot take parameters (CREATE ROLE, ALTER DATABASE ... SET).</summary>
internal static class Sql
{
    /// <summary>Always double-quoted, so keywords and capitals need no special case.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
