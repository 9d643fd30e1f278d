using PgAuditFirehose.Cli.Db;
using PgAuditFirehose.Cli.Tests.Servers;

namespace PgAuditFirehose.Cli.Tests.Db;

[Collection(PgAuditServersDefinition.Name)]
public sealed class DbCheckTests(PgAuditServers servers)
{
    [SkippableFact]
    public async Task A_configured_database_gets_only_ticks_and_exit_code_0()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        var role = "audit_" + database;
        server.Execute("postgres", $"CREATE ROLE {role} NOLOGIN");
        server.Execute(database, $"CREATE EXTENSION pgaudit; ALTER DATABASE {database} SET pgaudit.log = 'ddl, role'; ALTER DATABASE {database} SET pgaudit.role = '{role}'");

        // Logins and session ends logged, as the template's parameter group sets them (a superuser may set both at connection start).
        var connection = server.ConnectionString(database) + ";Options=-c log_connections=on -c log_disconnections=on";

        var (exit, output, error) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", connection, "--log-line-prefix", "%t:%r:%u@%d:[%p]:");

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("✗", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\n! ", output, StringComparison.Ordinal);
        foreach (var subject in new[] { "shared_preload_libraries", "extension", "pgaudit.role", "pgaudit.log", "log_line_prefix", "lc_messages", "log_timezone", "log_connections", "log_disconnections" })
        {
            Assert.Contains($"\n✓ {subject}: ", output, StringComparison.Ordinal);
        }

        Assert.Contains("✓ pgaudit.log: 'ddl, role' (from database)", output, StringComparison.Ordinal);
        Assert.Contains("✓ pgaudit.role: '" + role + "' exists", output, StringComparison.Ordinal);
        Assert.Contains("result: everything pgAudit and the Lambda need is in place", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_cost_settings_are_listed_with_their_values()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        server.Execute(database, $"ALTER DATABASE {database} SET pgaudit.log_parameter = on");

        var (_, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString(database));

        Assert.Contains("• pgaudit.log_parameter: on: every bind parameter's value is in the line", output, StringComparison.Ordinal);
        Assert.Contains("• pgaudit.log_relation: off: ", output, StringComparison.Ordinal);
        Assert.Contains("• pgaudit.log_rows: off: ", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Session_event_logging_off_is_a_warning_saying_what_records_are_missing()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        server.Execute(database, $"CREATE EXTENSION pgaudit; ALTER DATABASE {database} SET pgaudit.log = 'ddl'; ALTER DATABASE {database} SET log_error_verbosity = verbose");

        var (_, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString(database));

        Assert.Contains("! log_connections: off: no CONNECTION records", output, StringComparison.Ordinal);
        Assert.Contains("! log_disconnections: off: no DISCONNECTION records", output, StringComparison.Ordinal);
        Assert.Contains("CaptureSessionEvents", output, StringComparison.Ordinal);
        Assert.Contains("• log_error_verbosity: 'verbose': server records carry sql_state", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_server_without_pgaudit_preloaded_gets_a_cross_saying_what_to_do_and_exit_code_1()
    {
        var server = servers.WithoutPreload;

        var (exit, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString("postgres"));

        Assert.Equal(1, exit);
        Assert.Contains("✗ shared_preload_libraries: '' does not include pgaudit → add pgaudit to shared_preload_libraries", output, StringComparison.Ordinal);
        Assert.Contains("restart", output, StringComparison.Ordinal);
        Assert.Contains("✗ extension: pgaudit is not installed", output, StringComparison.Ordinal);
        Assert.Contains("things to fix", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_fresh_database_needs_the_extension_and_pgaudit_log_which_setup_provides()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();

        var (exit, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString(database));

        Assert.Equal(1, exit);
        Assert.Contains("✓ shared_preload_libraries: includes pgaudit", output, StringComparison.Ordinal);
        Assert.Contains($"✗ extension: pgaudit is not installed in database '{database}'", output, StringComparison.Ordinal);
        Assert.Contains("→ run `pgaudit-firehose db setup` (CREATE EXTENSION pgaudit)", output, StringComparison.Ordinal);
        Assert.Contains("✗ pgaudit.log: 'none' (from default): pgaudit logs nothing → `pgaudit-firehose db setup --log ddl,role`", output, StringComparison.Ordinal);
        Assert.Contains("! pgaudit.role: not set", output, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("UTC")]
    [InlineData("Etc/UTC")]
    public async Task A_log_timezone_the_lambdas_log_timezone_names_is_a_tick(string lambdaZone)
    {
        var server = servers.Configured;

        var (_, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString("postgres"), "--log-timezone", lambdaZone);

        Assert.Contains("✓ log_timezone: 'UTC' matches the Lambda's LOG_TIMEZONE", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_log_timezone_other_than_the_lambdas_is_a_cross_naming_both()
    {
        var server = servers.Configured;

        var (exit, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString("postgres"), "--log-timezone", "Asia/Shanghai");

        Assert.Equal(1, exit);
        Assert.Contains("✗ log_timezone: 'UTC' but the Lambda's LOG_TIMEZONE is 'Asia/Shanghai'", output, StringComparison.Ordinal);
        Assert.Contains("deploy with LogTimezone='UTC' (LOG_TIMEZONE)", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_log_line_prefix_other_than_the_lambdas_is_a_cross_naming_both()
    {
        var server = servers.Configured;

        var (exit, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString("postgres"), "--log-line-prefix", "%m [%p] ");

        Assert.Equal(1, exit);
        Assert.Contains("✗ log_line_prefix: '%t:%r:%u@%d:[%p]:' but the Lambda expects '%m [%p] '", output, StringComparison.Ordinal);
        Assert.Contains("LogLinePrefix='%t:%r:%u@%d:[%p]:'", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_pgaudit_role_naming_a_missing_role_is_a_cross()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        server.Execute(database, $"ALTER DATABASE {database} SET pgaudit.role = 'no_such_role_{database}'");

        var (exit, output, _) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString(database));

        Assert.Equal(1, exit);
        Assert.Contains($"✗ pgaudit.role: 'no_such_role_{database}' does not exist", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_user_who_may_not_read_shared_preload_libraries_is_told_from_pgaudits_own_settings()
    {
        var server = servers.Configured;
        var database = server.CreateDatabase();
        var user = "plain_" + database;
        server.Execute("postgres", $"CREATE ROLE {user} LOGIN");

        var (_, output, error) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", server.ConnectionString(database, user));

        Assert.Equal("", error);
        Assert.Contains("✓ shared_preload_libraries: pgaudit is loaded (this user may not read shared_preload_libraries", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_exit_code_2_with_the_reason_and_without_the_password()
    {
        const string password = "Unreachable-Secret-4711";
        var connection = $"Host=127.0.0.1;Port={Script.FreePort()};Username=postgres;Password={password};Database=postgres;Timeout=3";

        var (exit, output, error) = await CliRun.InvokeAsync(DbCommand.Create(), "db", "check", "--connection", connection);

        Assert.Equal(2, exit);
        Assert.Contains("error: cannot connect to postgres@127.0.0.1:", error, StringComparison.Ordinal);
        Assert.DoesNotContain(password, output + error, StringComparison.Ordinal);
    }
}
