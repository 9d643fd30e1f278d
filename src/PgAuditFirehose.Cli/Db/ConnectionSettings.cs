using System.Globalization;
using Npgsql;

namespace PgAuditFirehose.Cli.Db;

/// <summary>
/// Where <c>db check</c> / <c>db setup</c> connect: the <c>--connection</c> string over the standard
/// <c>PG*</c> variables. The password stays inside the builder: it is never formatted, printed or stored.
/// </summary>
internal sealed class ConnectionSettings
{
    private ConnectionSettings(NpgsqlConnectionStringBuilder builder, string? password)
    {
        Builder = builder;
        Password = password;
    }

    public NpgsqlConnectionStringBuilder Builder { get; }

    /// <summary>Only to scrub it from error messages that might echo it.</summary>
    private string? Password { get; }

    /// <summary>
    /// Npgsql itself reads PGUSER, PGPASSWORD, PGPASSFILE, PGSSLCERT and friends, but not PGHOST, PGPORT,
    /// PGDATABASE or PGSSLMODE; those are filled in here when the connection string leaves them out.
    /// Throws <see cref="ArgumentException"/> for a connection string Npgsql does not accept.
    /// </summary>
    public static ConnectionSettings Resolve(string? connectionString, Func<string, string?> getVariable)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString ?? "");
        if (string.IsNullOrEmpty(builder.Host)) builder.Host = Variable(getVariable, "PGHOST") ?? "localhost";
        if (!ContainsKey(connectionString, "Port") && Variable(getVariable, "PGPORT") is { } port)
        {
            builder.Port = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
                ? p
                : throw new ArgumentException($"PGPORT='{port}' is not a port number.");
        }

        if (string.IsNullOrEmpty(builder.Username)) builder.Username = Variable(getVariable, "PGUSER");
        if (string.IsNullOrEmpty(builder.Database)) builder.Database = Variable(getVariable, "PGDATABASE") ?? builder.Username;
        if (!ContainsKey(connectionString, "SSL Mode") && !ContainsKey(connectionString, "SslMode") && Variable(getVariable, "PGSSLMODE") is { } sslMode)
        {
            builder.SslMode = sslMode switch
            {
                "disable" => SslMode.Disable,
                "allow" => SslMode.Allow,
                "prefer" => SslMode.Prefer,
                "require" => SslMode.Require,
                "verify-ca" => SslMode.VerifyCA,
                "verify-full" => SslMode.VerifyFull,
                _ => throw new ArgumentException($"PGSSLMODE='{sslMode}' is not one of disable, allow, prefer, require, verify-ca, verify-full."),
            };
        }

        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "pgaudit-firehose";
        if (!ContainsKey(connectionString, "Timeout")) builder.Timeout = 10;
        return new ConnectionSettings(builder, builder.Password ?? Variable(getVariable, "PGPASSWORD"));
    }

    /// <summary>user@host:port/database — what the user needs to see which server answered, and nothing secret.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Builder.Username ?? Environment.UserName}@{Builder.Host}:{Builder.Port}/{Builder.Database ?? Builder.Username ?? Environment.UserName}");

    /// <summary>An error text with the password, should it ever appear in one, masked.</summary>
    public string Scrub(string message) =>
        string.IsNullOrEmpty(Password) ? message : message.Replace(Password, "********", StringComparison.Ordinal);

    private static string? Variable(Func<string, string?> getVariable, string name) =>
        getVariable(name) is { Length: > 0 } value ? value : null;

    private static bool ContainsKey(string? connectionString, string key)
    {
        if (string.IsNullOrEmpty(connectionString)) return false;
        var parsed = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.ContainsKey(key);
    }
}
