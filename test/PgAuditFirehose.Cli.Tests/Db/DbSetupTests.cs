using PgAuditFirehose.Cli.Db;
using PgAuditFirehose.Cli.Tests.Servers;

namespace PgAuditFirehose.Cli.Tests.Db;

[Collection(PgAuditServersDefinition.Name)]
public sealed class DbSetupTests(PgAuditServers servers)
{
    [SkippableFact]
    public async Task Setup_prints_each_statement_before_running_it_and_then_check_passes()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        var role = "audit_" + database;
        server.Execute(database, $"ALTER DATABASE {database} SET pgaudit.role = '{role}'");

        var (exit, output, error) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "setup", "--connection", server.ConnectionString(database), "--log", "ddl,role");

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        var lines = output.Split('\n');
        AssertBefore(lines, $"running: CREATE ROLE \"{role}\" NOLOGIN;", $"✓ role {role}: created");
        AssertBefore(lines, "running: CREATE EXTENSION IF NOT EXISTS pgaudit;", $"✓ extension: pgaudit installed in database '{database}'");
        AssertBefore(lines, $"running: ALTER DATABASE \"{database}\" SET pgaudit.log = 'ddl, role';", $"✓ pgaudit.log: 'ddl, role' for new sessions in database '{database}'");
        Assert.Contains("done: 3 statements run", output, StringComparison.Ordinal);

        var check = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString(database));
        Assert.Equal(0, check.ExitCode);
        Assert.DoesNotContain("✗", check.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Setup_run_twice_changes_nothing_the_second_time()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        var role = "audit_" + database;
        string[] args = ["db", "setup", "--connection", server.ConnectionString(database), "--role", role, "--log", "read, write,ddl"];
        var first = await CliRun.InvokeAsync(DbCommand.Create(), args);
        Assert.Equal(0, first.ExitCode);

        var (exit, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), args);

        Assert.Equal(0, exit);
        Assert.DoesNotContain("running:", output, StringComparison.Ordinal);
        Assert.Contains($"✓ role {role}: exists already", output, StringComparison.Ordinal);
        Assert.Contains($"✓ extension: pgaudit 1.", output, StringComparison.Ordinal);
        Assert.Contains($"is installed already in database '{database}'", output, StringComparison.Ordinal);
        Assert.Contains($"✓ pgaudit.log: 'read, write, ddl' is set for database '{database}' already", output, StringComparison.Ordinal);
        Assert.Contains("done: 0 statements run", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Dry_run_prints_what_would_run_and_changes_nothing()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        var role = "audit_" + database;

        var (exit, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "setup", "--connection", server.ConnectionString(database), "--role", role, "--log", "ddl", "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains($"would run: CREATE ROLE \"{role}\" NOLOGIN;", output, StringComparison.Ordinal);
        Assert.Contains("would run: CREATE EXTENSION IF NOT EXISTS pgaudit;", output, StringComparison.Ordinal);
        Assert.Contains($"would run: ALTER DATABASE \"{database}\" SET pgaudit.log = 'ddl';", output, StringComparison.Ordinal);
        Assert.Contains("dry run: 3 statements would run; nothing was changed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("running:", output, StringComparison.Ordinal);
        Assert.Equal(0L, server.Scalar("postgres", $"SELECT count(*) FROM pg_roles WHERE rolname = '{role}'"));
        Assert.Equal(0L, server.Scalar(database, "SELECT count(*) FROM pg_extension WHERE extname = 'pgaudit'"));
        Assert.Equal(0L, server.Scalar("postgres", $"SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = '{database}'"));
    }

    [SkippableFact]
    public async Task Without_pgaudit_preloaded_setup_says_the_extension_cannot_be_created_and_exits_1()
    {
        var server = servers.WithoutPreload;
        var database = server.CreateDatabase();

        var (exit, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "setup", "--connection", server.ConnectionString(database), "--role", "audit_" + database);

        Assert.Equal(1, exit);
        Assert.Contains("✗ extension: cannot be created: pgaudit is not in shared_preload_libraries → add pgaudit to shared_preload_libraries", output, StringComparison.Ordinal);
        Assert.DoesNotContain("running: CREATE EXTENSION", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_user_without_the_privileges_gets_a_cross_saying_whom_to_connect_as()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        var user = "plain_" + database;
        server.Execute("postgres", $"CREATE ROLE {user} LOGIN");

        var (exit, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "setup", "--connection", server.ConnectionString(database, user), "--role", "audit_" + database);

        Assert.Equal(1, exit);
        Assert.Contains($"✗ role audit_{database}: failed: permission denied to create role (42501) → connect as a superuser (rds_superuser on RDS/Aurora", output, StringComparison.Ordinal);
        Assert.Contains("✗ extension: failed: permission denied to create extension \"pgaudit\" (42501)", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_password_in_the_connection_string_is_never_printed()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        var user = "pw_" + database;
        var password = "Pw-" + Guid.NewGuid().ToString("N");
        server.Execute("postgres", $"CREATE ROLE {user} LOGIN SUPERUSER PASSWORD '{password}'");
        var connection = server.ConnectionString(database, user, password);

        var runs = new[]
        {
            await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", connection),
            await CliRun.InvokeAsync(DbCommand.Create(), "db", "setup", "--connection", connection, "--role", "audit_" + database, "--log", "ddl", "--dry-run"),
            await CliRun.InvokeAsync(DbCommand.Create(), "db", "setup", "--connection", connection, "--role", "audit_" + database, "--log", "ddl"),
            await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", connection + ";Database=no_such_db"),
        };

        Assert.Equal([1, 0, 0, 2], runs.Select(r => r.ExitCode));
        Assert.Contains($"{user}@{server.SocketDirectory}:{server.Port}/{database}", runs[0].Output, StringComparison.Ordinal);
        Assert.Contains("no_such_db", runs[3].Error, StringComparison.Ordinal);
        foreach (var (_, output, error) in runs) Assert.DoesNotContain(password, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_pgaudit_log_class_is_refused_before_connecting()
    {
        var (exit, _, error) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "setup", "--connection", "Host=127.0.0.1;Port=1", "--log", "ddl,selects");

        Assert.Equal(2, exit);
        Assert.Contains("error: --log: 'selects' is not a pgaudit.log class", error, StringComparison.Ordinal);
    }

    private static void AssertBefore(string[] lines, string first, string then)
    {
        var i = Array.IndexOf(lines, first);
        Assert.True(i >= 0, $"missing line: {first}\n{string.Join('\n', lines)}");
        Assert.True(i + 1 < lines.Length && lines[i + 1] == then, $"expected '{then}' right after '{first}'\n{string.Join('\n', lines)}");
    }
}
