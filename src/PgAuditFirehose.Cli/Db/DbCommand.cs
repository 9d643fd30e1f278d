using System.CommandLine;

namespace PgAuditFirehose.Cli.Db;

/// <summary><c>db check</c> and <c>db setup</c>: pgAudit in a PostgreSQL database, checked and set up.</summary>
internal static class DbCommand
{
    public static Command Create() => new("db", "Check or set up pgAudit in a PostgreSQL database (RDS, Aurora or self-managed)")
    {
        DbCheckCommand.Create(),
        DbSetupCommand.Create(),
    };

    /// <summary>The option both subcommands take; one instance per command.</summary>
    public static Option<string?> ConnectionOption() => new("--connection", "-c")
    {
        Description = "Npgsql connection string, e.g. \"Host=db.example.com;Username=admin;Database=app\" " +
                      "(default: the PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE environment variables). " +
                      "The password is never printed or stored; prefer PGPASSWORD or ~/.pgpass over putting it here",
    };
}
