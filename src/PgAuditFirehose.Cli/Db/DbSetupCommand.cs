using System.CommandLine;
using Npgsql;

namespace PgAuditFirehose.Cli.Db;

/// <summary>
/// <c>db setup</c>: the idempotent, in-database part of enabling pgAudit — the role pgaudit.role names,
/// the extension, and optionally the database's pgaudit.log. What is in place already is left alone;
/// every statement is printed before it runs. Exit code 0 when all is in place afterwards.
/// </summary>
internal static class DbSetupCommand
{
    public static Command Create()
    {
        var connection = DbCommand.ConnectionOption();
        var role = new Option<string?>("--role")
        {
            Description = $"The role for object auditing (default: the server's pgaudit.role, else {DbChecks.DefaultRole})",
        };
        var log = new Option<string?>("--log")
        {
            Description = "Also set pgaudit.log for this database (ALTER DATABASE ... SET), e.g. ddl,role or read,write,ddl,role; " +
                          "without it pgaudit.log is left as the parameter group sets it",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be run, change nothing" };
        var command = new Command("setup", "Create the pgaudit role and extension (and optionally set pgaudit.log) in a database; safe to run again")
        {
            connection, role, log, dryRun,
        };
        command.SetAction((r, cancel) => RunAsync(
            r.GetValue(connection), r.GetValue(role), r.GetValue(log), r.GetValue(dryRun), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error, cancel));
        return command;
    }

    private static async Task<int> RunAsync(string? connectionString, string? role, string? log, bool dryRun, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        string? classes = null;
        if (log is not null)
        {
            classes = PgAuditClasses.Normalize(log, out var problem);
            if (classes is null) throw new UsageException($"--log: {problem}");
        }

        if (role is { Length: 0 }) throw new UsageException("--role: give a role name");

        await using var session = await DbSession.OpenAsync(connectionString, output, error, cancel).ConfigureAwait(false);
        if (session is null) return 2;

        ServerState state;
        try
        {
            state = await ServerState.ReadAsync(session.Connection, role, cancel).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            await error.WriteLineAsync($"error: reading the settings of {session.Settings.Describe()}: {session.Settings.Scrub(e.Message)}").ConfigureAwait(false);
            return 2;
        }

        var mark = session.Output;
        mark.WriteLine($"db setup: {session.Settings.Describe()} (PostgreSQL {state.ServerVersion}, connected as {state.User}){(dryRun ? " — dry run, nothing will be changed" : "")}");
        var runner = new StatementRunner(session, dryRun);
        var roleName = role ?? (state.Value("pgaudit.role") is { Length: > 0 } configured ? configured : DbChecks.DefaultRole);
        await CreateRoleAsync(runner, state, roleName, cancel).ConfigureAwait(false);
        await CreateExtensionAsync(runner, state, cancel).ConfigureAwait(false);
        if (classes is not null) await SetLogAsync(runner, state, classes, cancel).ConfigureAwait(false);

        mark.WriteLine(dryRun
            ? $"dry run: {runner.Planned} statement{(runner.Planned == 1 ? "" : "s")} would run; nothing was changed"
            : mark.Failures == 0
                ? $"done: {runner.Planned} statement{(runner.Planned == 1 ? "" : "s")} run; `pgaudit-firehose db check` shows the result"
                : $"result: {mark.Failures} step{(mark.Failures == 1 ? "" : "s")} failed (✗ above)");
        return mark.Failures == 0 ? 0 : 1;
    }

    private static async Task CreateRoleAsync(StatementRunner runner, ServerState state, string role, CancellationToken cancel)
    {
        var subject = $"role {role}";
        if (state.ExistingRoles.Contains(role))
        {
            runner.Output.Write(new CheckResult(CheckMark.Pass, subject, "exists already"));
            return;
        }

        // NOLOGIN: the role only collects grants that say what object auditing logs.
        await runner.RunAsync($"CREATE ROLE {Sql.Identifier(role)} NOLOGIN;", subject, "created", cancel,
            alreadyDone: PostgresErrorCodes.DuplicateObject).ConfigureAwait(false);
        if (state.Value("pgaudit.role") is { } configured && configured != role)
        {
            runner.Output.Write(new CheckResult(CheckMark.Warn, subject,
                configured.Length == 0 ? "pgaudit.role is not set, so object auditing stays off" : $"pgaudit.role names '{configured}', not this role",
                $"set pgaudit.role = {role} in the DB (cluster) parameter group or postgresql.conf"));
        }
    }

    private static async Task CreateExtensionAsync(StatementRunner runner, ServerState state, CancellationToken cancel)
    {
        const string subject = "extension";
        if (state.ExtensionVersion is not null)
        {
            runner.Output.Write(new CheckResult(CheckMark.Pass, subject, $"pgaudit {state.ExtensionVersion} is installed already in database '{state.Database}'"));
            return;
        }

        if (state.AvailableExtensionVersion is null)
        {
            runner.Output.Write(new CheckResult(CheckMark.Fail, subject, "pgaudit is not available on this server", "install the pgaudit package for this PostgreSQL version"));
            return;
        }

        if (!state.PgAuditLoaded)
        {
            // CREATE EXTENSION would fail with "pgaudit must be loaded via shared_preload_libraries".
            runner.Output.Write(new CheckResult(CheckMark.Fail, subject, "cannot be created: pgaudit is not in shared_preload_libraries",
                "add pgaudit to shared_preload_libraries in the DB (cluster) parameter group or postgresql.conf, restart, and run db setup again"));
            return;
        }

        await runner.RunAsync("CREATE EXTENSION IF NOT EXISTS pgaudit;", subject, $"pgaudit installed in database '{state.Database}'", cancel).ConfigureAwait(false);
    }

    private static async Task SetLogAsync(StatementRunner runner, ServerState state, string classes, CancellationToken cancel)
    {
        var subject = "pgaudit.log";
        if (state.DatabasePgAuditLog is { } current && PgAuditClasses.Normalize(current, out _) == classes)
        {
            runner.Output.Write(new CheckResult(CheckMark.Pass, subject, $"'{current}' is set for database '{state.Database}' already"));
            return;
        }

        await runner.RunAsync($"ALTER DATABASE {Sql.Identifier(state.Database)} SET pgaudit.log = {Sql.Literal(classes)};", subject,
            $"'{classes}' for new sessions in database '{state.Database}'", cancel).ConfigureAwait(false);
    }

    /// <summary>Prints each statement, then runs it (or, in a dry run, only counts it).</summary>
    private sealed class StatementRunner(DbSession session, bool dryRun)
    {
        public MarkWriter Output => session.Output;

        public int Planned { get; private set; }

        public async Task RunAsync(string sql, string subject, string done, CancellationToken cancel, string? alreadyDone = null)
        {
            Planned++;
            Output.WriteLine($"{(dryRun ? "would run" : "running")}: {sql}");
            if (dryRun) return;
            try
            {
                await using var command = new NpgsqlCommand(sql, session.Connection);
                await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
                Output.Write(new CheckResult(CheckMark.Pass, subject, done));
            }
            catch (PostgresException e) when (e.SqlState == alreadyDone)
            {
                Output.Write(new CheckResult(CheckMark.Pass, subject, "exists already (created meanwhile)"));
            }
            catch (PostgresException e)
            {
                var fix = e.SqlState == PostgresErrorCodes.InsufficientPrivilege
                    ? "connect as a superuser (rds_superuser on RDS/Aurora, e.g. the master user)"
                    : null;
                Output.Write(new CheckResult(CheckMark.Fail, subject, $"failed: {session.Settings.Scrub(e.MessageText)} ({e.SqlState})", fix));
            }
        }
    }
}
