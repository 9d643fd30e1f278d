using Npgsql;

namespace PgAuditFirehose.Cli.Db;

/// <summary>An open connection and what <c>db check</c> / <c>db setup</c> print about it.</summary>
internal sealed class DbSession : IAsyncDisposable
{
    private DbSession(ConnectionSettings settings, NpgsqlConnection connection, TextWriter output)
    {
        Settings = settings;
        Connection = connection;
        Output = new MarkWriter(output);
    }

    public ConnectionSettings Settings { get; }

    public NpgsqlConnection Connection { get; }

    public MarkWriter Output { get; }

    /// <summary>Opens the connection, or says on <paramref name="error"/> why not (exit code 2) and returns null.</summary>
    public static async Task<DbSession?> OpenAsync(string? connectionString, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        ConnectionSettings settings;
        try
        {
            settings = ConnectionSettings.Resolve(connectionString, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException e)
        {
            // Npgsql names the keyword, never the value; nothing of the password can be in here.
            throw new UsageException($"--connection: {e.Message}");
        }

        var connection = new NpgsqlConnection(settings.Builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            await error.WriteLineAsync($"error: cannot connect to {settings.Describe()}: {settings.Scrub(e.Message)}").ConfigureAwait(false);
            return null;
        }

        return new DbSession(settings, connection, output);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
