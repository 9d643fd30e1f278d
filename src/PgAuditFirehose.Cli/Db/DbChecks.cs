using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Cli.Db;

/// <summary>
/// Turns a <see cref="ServerState"/> into the lines of <c>db check</c>. Fail (✗) only for what keeps audit
/// records from arriving, or from being read right; Warn (!) and Info (•) never change the exit code.
/// </summary>
internal static class DbChecks
{
    public const string DefaultRole = "rds_pgaudit";

    private const string ParameterGroup = "in the DB (cluster) parameter group (RDS/Aurora) or postgresql.conf";

    public static IReadOnlyList<CheckResult> Evaluate(ServerState state, string expectedPrefix, string expectedTimeZone = "UTC")
    {
        ArgumentNullException.ThrowIfNull(state);
        var results = new List<CheckResult> { Preload(state), Extension(state) };
        if (state.PgAuditLoaded)
        {
            results.Add(Role(state));
            results.Add(Log(state));
        }
        else
        {
            results.Add(new CheckResult(CheckMark.Fail, "pgaudit.log", "cannot be read: pgaudit is not loaded", "fix shared_preload_libraries first"));
        }

        results.Add(Prefix(state, expectedPrefix));
        results.Add(Messages(state));
        results.Add(TimeZone(state, expectedTimeZone));
        results.AddRange(SessionEvents(state));
        if (state.PgAuditLoaded) results.AddRange(Costs(state));
        return results;
    }

    private static CheckResult Preload(ServerState state)
    {
        const string subject = "shared_preload_libraries";
        const string fix = "add pgaudit to shared_preload_libraries " + ParameterGroup + " and restart (reboot the instance): it is a static parameter; the template's CreatePgAuditParameterGroup makes such a group";
        if (state.SharedPreloadLibraries is null)
        {
            return state.PgAuditLoaded
                ? new CheckResult(CheckMark.Pass, subject, $"pgaudit is loaded (this user may not read shared_preload_libraries; its pgaudit.* settings show the library)")
                : new CheckResult(CheckMark.Fail, subject, "pgaudit is not loaded (this user may not read shared_preload_libraries, and no pgaudit.* settings exist)", fix);
        }

        var libraries = state.SharedPreloadLibraries.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim('"'));
        return libraries.Any(l => l == "pgaudit" || l.EndsWith("/pgaudit", StringComparison.Ordinal))
            ? new CheckResult(CheckMark.Pass, subject, $"includes pgaudit ('{state.SharedPreloadLibraries}')")
            : new CheckResult(CheckMark.Fail, subject, $"'{state.SharedPreloadLibraries}' does not include pgaudit", fix);
    }

    private static CheckResult Extension(ServerState state)
    {
        const string subject = "extension";
        if (state.ExtensionVersion is not null)
        {
            return new CheckResult(CheckMark.Pass, subject, $"pgaudit {state.ExtensionVersion} is installed in database '{state.Database}'");
        }

        return state.AvailableExtensionVersion is null
            ? new CheckResult(CheckMark.Fail, subject, "pgaudit is not available on this server", "install the pgaudit package for this PostgreSQL version (RDS and Aurora include it)")
            : new CheckResult(CheckMark.Fail, subject, $"pgaudit is not installed in database '{state.Database}' (DDL audit lines need its event triggers)",
                state.PgAuditLoaded ? "run `pgaudit-firehose db setup` (CREATE EXTENSION pgaudit)" : "fix shared_preload_libraries, then run `pgaudit-firehose db setup`");
    }

    private static CheckResult Role(ServerState state)
    {
        const string subject = "pgaudit.role";
        var role = state.Value("pgaudit.role") ?? "";
        if (role.Length == 0)
        {
            return new CheckResult(CheckMark.Warn, subject, "not set: object auditing is off (session auditing by pgaudit.log still works)",
                $"set pgaudit.role = {DefaultRole} {ParameterGroup}, then run `pgaudit-firehose db setup` to create the role");
        }

        return state.ExistingRoles.Contains(role)
            ? new CheckResult(CheckMark.Pass, subject, $"'{role}' exists (object auditing: GRANT SELECT, INSERT, ... ON what to audit TO {role})")
            : new CheckResult(CheckMark.Fail, subject, $"'{role}' does not exist: object auditing silently logs nothing", $"run `pgaudit-firehose db setup` (CREATE ROLE {role} NOLOGIN)");
    }

    private static CheckResult Log(ServerState state)
    {
        const string subject = "pgaudit.log";
        var setting = state.Settings["pgaudit.log"];
        var found = $"'{setting.Value}' (from {setting.Source})";
        if (!PgAuditClasses.LogsNothing(setting.Value))
        {
            return new CheckResult(CheckMark.Pass, subject, $"{found}: {PgAuditClasses.Cost(setting.Value)}");
        }

        const string fix = "`pgaudit-firehose db setup --log ddl,role` (ALTER DATABASE ... SET pgaudit.log) or set pgaudit.log " + ParameterGroup;
        var role = state.Value("pgaudit.role") ?? "";
        return role.Length > 0 && state.ExistingRoles.Contains(role)
            ? new CheckResult(CheckMark.Warn, subject, $"{found}: no session auditing; only objects granted to {role} are logged", fix)
            : new CheckResult(CheckMark.Fail, subject, $"{found}: pgaudit logs nothing", fix);
    }

    private static CheckResult Prefix(ServerState state, string expected)
    {
        const string subject = "log_line_prefix";
        var actual = state.Value("log_line_prefix") ?? "";
        try
        {
            LogLinePrefix.Parse(actual);
        }
        catch (FormatException e)
        {
            return new CheckResult(CheckMark.Fail, subject, $"'{actual}' cannot be read by the Lambda: {e.Message}", $"set log_line_prefix to '{LogLinePrefix.RdsDefault}' " + ParameterGroup);
        }

        return actual == expected
            ? new CheckResult(CheckMark.Pass, subject, $"'{actual}' matches the Lambda's LOG_LINE_PREFIX")
            : new CheckResult(CheckMark.Fail, subject, $"'{actual}' but the Lambda expects '{expected}': every record would carry a parse_error",
                $"deploy with LogLinePrefix='{actual}' (LOG_LINE_PREFIX), or set log_line_prefix = '{expected}' {ParameterGroup}");
    }

    private static CheckResult Messages(ServerState state)
    {
        var value = state.Value("lc_messages") ?? "";
        var english = value.Length == 0 || value is "C" or "POSIX" || value.StartsWith("C.", StringComparison.Ordinal) || value.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        return english
            ? new CheckResult(CheckMark.Pass, "lc_messages", $"'{value}': severity words (LOG, WARNING, ...) are English")
            : new CheckResult(CheckMark.Fail, "lc_messages", $"'{value}': translated severity words make every audit line a parse error", "set lc_messages = 'C' (or an English locale) " + ParameterGroup);
    }

    private static CheckResult TimeZone(ServerState state, string expected)
    {
        const string subject = "log_timezone";
        var actual = state.Value("log_timezone") ?? "";
        if (SameZone(actual, expected))
        {
            return new CheckResult(CheckMark.Pass, subject, $"'{actual}' matches the Lambda's LOG_TIMEZONE");
        }

        return new CheckResult(CheckMark.Fail, subject,
            $"'{actual}' but the Lambda's LOG_TIMEZONE is '{expected}': records whose time zone abbreviation '{expected}' does not use get no log_time and a parse_error",
            $"deploy with LogTimezone='{actual}' (LOG_TIMEZONE), or set log_timezone = '{expected}' {ParameterGroup}");
    }

    // The server log's records (docs/server-log.md): logins and session ends need these two, errors nothing.
    private static IEnumerable<CheckResult> SessionEvents(ServerState state)
    {
        const string fix = "set it to on " + ParameterGroup + " (the template's CaptureSessionEvents does; takes effect for new sessions)";
        yield return OnOrWarn(state, "log_connections", "logins and failed logins are logged: CONNECTION and LOGIN_FAILURE records",
            "off: no CONNECTION records; failed logins that end before authorization (wrong password, pg_hba.conf) are still logged as FATAL", fix);
        yield return OnOrWarn(state, "log_disconnections", "session ends are logged: DISCONNECTION records with session_duration_ms",
            "off: no DISCONNECTION records (session lengths unknown)", fix);

        var verbosity = state.Value("log_error_verbosity") ?? "";
        yield return verbosity switch
        {
            "verbose" => new CheckResult(CheckMark.Info, "log_error_verbosity", "'verbose': server records carry sql_state; every message gets a LOCATION line too (more log volume, not archived)"),
            "terse" => new CheckResult(CheckMark.Warn, "log_error_verbosity", "'terse': no DETAIL, HINT or CONTEXT lines: those columns of ERROR and LOGIN_FAILURE records stay null",
                "set log_error_verbosity = default " + ParameterGroup),
            _ => new CheckResult(CheckMark.Info, "log_error_verbosity", $"'{verbosity}': sql_state is null on server records (verbose writes it, at the cost of a LOCATION line per message)"),
        };
    }

    private static CheckResult OnOrWarn(ServerState state, string name, string on, string off, string fix)
    {
        var value = state.Value(name);
        if (value is null) return new CheckResult(CheckMark.Info, name, "cannot be read by this user");
        return value == "on" ? new CheckResult(CheckMark.Pass, name, $"on: {on}") : new CheckResult(CheckMark.Warn, name, off, fix);
    }

    // The same name, or two names of one zone (US/Central and America/Chicago are one file of the database).
    private static bool SameZone(string actual, string expected)
    {
        if (actual == expected || (IsUtc(actual) && IsUtc(expected))) return true;
        var directory = Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } d ? d : "/usr/share/zoneinfo";
        try
        {
            var a = Path.Combine(directory, actual);
            var b = Path.Combine(directory, expected);
            return !actual.Contains("..", StringComparison.Ordinal) && !expected.Contains("..", StringComparison.Ordinal)
                && File.Exists(a) && File.Exists(b) && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    private static bool IsUtc(string zone) => zone is "UTC" or "Etc/UTC" or "UCT" or "Etc/UCT" or "Zulu" or "Etc/Zulu" or "Universal" or "Etc/Universal";

    private static IEnumerable<CheckResult> Costs(ServerState state)
    {
        yield return Cost(state, "pgaudit.log_parameter",
            on: "every bind parameter's value is in the line: longer records, and parameter values (often personal data) land in the archive",
            off: "parameters are not logged (PARAMETER is <not logged>): smaller records, no values in the archive");
        yield return Cost(state, "pgaudit.log_relation",
            on: "one line per table a statement touches: a 5-table join writes 5 records",
            off: "one line per statement (object names only in object audit or DDL)");
        yield return Cost(state, "pgaudit.log_rows",
            on: "rows retrieved/affected fill the rows column: a few bytes per record",
            off: "rows is null");
        yield return Cost(state, "pgaudit.log_catalog",
            on: "statements that touch only pg_catalog (psql \\d, drivers' and tools' introspection) are logged: often most READ lines",
            off: "catalog-only statements are not logged: less volume");
        yield return Cost(state, "pgaudit.log_statement_once",
            on: "statement text only on a statement's first line; later records say <previously logged>",
            off: "every record carries its statement text");
    }

    private static CheckResult Cost(ServerState state, string name, string on, string off)
    {
        if (!state.Settings.TryGetValue(name, out var setting))
        {
            return new CheckResult(CheckMark.Info, name, "not reported by this pgaudit version");
        }

        return new CheckResult(CheckMark.Info, name, $"{setting.Value}: {(setting.Value == "on" ? on : off)}");
    }
}
