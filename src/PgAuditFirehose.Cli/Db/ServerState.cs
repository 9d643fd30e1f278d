using Npgsql;

namespace PgAuditFirehose.Cli.Db;

/// <summary>What <c>db check</c> and <c>db setup</c> need to know about one database, read in a few queries.</summary>
internal sealed record ServerState
{
    /// <summary>The settings read from <c>pg_settings</c>; pgaudit's exist only when the library is loaded.</summary>
    public static readonly string[] SettingNames =
    [
        "pgaudit.log", "pgaudit.role", "pgaudit.log_parameter", "pgaudit.log_relation", "pgaudit.log_rows",
        "pgaudit.log_catalog", "pgaudit.log_statement_once", "pgaudit.log_level",
        "log_line_prefix", "lc_messages", "log_timezone", "log_connections", "log_disconnections", "log_error_verbosity",
    ];

    public required string ServerVersion { get; init; }

    public required string Database { get; init; }

    public required string User { get; init; }

    /// <summary>Null when this user may not read it (not superuser, no pg_read_all_settings).</summary>
    public string? SharedPreloadLibraries { get; init; }

    public required IReadOnlyDictionary<string, Setting> Settings { get; init; }

    public string? ExtensionVersion { get; init; }

    /// <summary>The version the server could install; null when the pgaudit package is not on the server.</summary>
    public string? AvailableExtensionVersion { get; init; }

    /// <summary>Which of pgaudit.role's role and the role asked for (default rds_pgaudit) exist.</summary>
    public required IReadOnlySet<string> ExistingRoles { get; init; }

    /// <summary>pgaudit.log as set on this database (ALTER DATABASE ... SET), null when not set there.</summary>
    public string? DatabasePgAuditLog { get; init; }

    /// <summary>
    /// pgaudit registers its settings (context 'superuser') when the library loads; a bare
    /// <c>ALTER DATABASE ... SET pgaudit.log</c> without the library leaves only a placeholder (context 'user').
    /// </summary>
    public bool PgAuditLoaded => Settings.TryGetValue("pgaudit.log", out var s) && s.Context == "superuser";

    public string? Value(string name) => Settings.TryGetValue(name, out var s) ? s.Value : null;

    public static async Task<ServerState> ReadAsync(NpgsqlConnection connection, string? extraRole, CancellationToken cancel)
    {
        string version, database, user;
        await using (var command = new NpgsqlCommand("SELECT current_setting('server_version'), current_database(), current_user", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancel).ConfigureAwait(false);
            (version, database, user) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        var settings = new Dictionary<string, Setting>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT name, setting, source, context FROM pg_settings WHERE name = ANY(@names)", connection))
        {
            command.Parameters.AddWithValue("names", SettingNames);
            await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                settings[reader.GetString(0)] = new Setting(reader.IsDBNull(1) ? "" : reader.GetString(1), reader.GetString(2), reader.GetString(3));
            }
        }

        var roles = new[] { settings.GetValueOrDefault("pgaudit.role")?.Value, extraRole ?? DbChecks.DefaultRole }.OfType<string>().Where(r => r.Length > 0).ToArray();
        return new ServerState
        {
            ServerVersion = version,
            Database = database,
            User = user,
            SharedPreloadLibraries = await SharedPreloadLibrariesAsync(connection, cancel).ConfigureAwait(false),
            Settings = settings,
            ExtensionVersion = await ScalarAsync(connection, "SELECT extversion FROM pg_extension WHERE extname = 'pgaudit'", cancel).ConfigureAwait(false),
            AvailableExtensionVersion = await ScalarAsync(connection, "SELECT default_version FROM pg_available_extensions WHERE name = 'pgaudit'", cancel).ConfigureAwait(false),
            ExistingRoles = await ExistingRolesAsync(connection, roles, cancel).ConfigureAwait(false),
            DatabasePgAuditLog = await DatabaseSettingAsync(connection, "pgaudit.log", cancel).ConfigureAwait(false),
        };
    }

    private static async Task<string?> SharedPreloadLibrariesAsync(NpgsqlConnection connection, CancellationToken cancel)
    {
        try
        {
            return await ScalarAsync(connection, "SHOW shared_preload_libraries", cancel).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return null;
        }
    }

    private static async Task<HashSet<string>> ExistingRolesAsync(NpgsqlConnection connection, string[] names, CancellationToken cancel)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT rolname FROM pg_roles WHERE rolname = ANY(@names)", connection);
        command.Parameters.AddWithValue("names", names);
        await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
        while (await reader.ReadAsync(cancel).ConfigureAwait(false)) existing.Add(reader.GetString(0));
        return existing;
    }

    /// <summary>The database-wide value (role 0) from pg_db_role_setting, whose entries read <c>name=value</c>.</summary>
    private static async Task<string?> DatabaseSettingAsync(NpgsqlConnection connection, string name, CancellationToken cancel)
    {
        const string sql = "SELECT setconfig FROM pg_db_role_setting WHERE setrole = 0 AND setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())";
        await using var command = new NpgsqlCommand(sql, connection);
        var config = await command.ExecuteScalarAsync(cancel).ConfigureAwait(false) as string[];
        var entry = config?.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal));
        return entry?[(name.Length + 1)..];
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancel)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancel).ConfigureAwait(false) as string;
    }

    /// <summary>One row of pg_settings: the session's value and where it came from (default, configuration file, database, user, ...).</summary>
    public sealed record Setting(string Value, string Source, string Context);
}
