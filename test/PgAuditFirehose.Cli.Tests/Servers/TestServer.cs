using System.Globalization;
using Npgsql;

namespace PgAuditFirehose.Cli.Tests.Servers;

/// <summary>One throwaway PostgreSQL 15 cluster from scripts/pgaudit-server.sh, reached over its unix socket as postgres.</summary>
public sealed class TestServer : IDisposable
{
    private readonly string _directory;

    private TestServer(string directory, string socketDirectory, int port)
    {
        _directory = directory;
        SocketDirectory = socketDirectory;
        Port = port;
    }

    public string SocketDirectory { get; }

    public int Port { get; }

    /// <param name="preload">False: PGAUDIT_PRELOAD=0, a server without pgaudit in shared_preload_libraries.</param>
    internal static TestServer Start(bool preload)
    {
        // Short and world-readable: the socket path must fit in 107 bytes, and the postgres user must enter it.
        var directory = Directory.CreateTempSubdirectory("pgfh-cli.").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var (exit, stdout, stderr) = Script.Run("pgaudit-server.sh", ["start", Path.Combine(directory, "c")], new Dictionary<string, string?>
        {
            ["PGAUDIT_PRELOAD"] = preload ? "1" : "0",
            ["PGAUDIT_PORT"] = Script.FreePort().ToString(CultureInfo.InvariantCulture),
            ["PGAUDIT_LOG_LINE_PREFIX"] = null,
        });
        if (exit != 0)
        {
            Directory.Delete(directory, recursive: true);
            throw new Unavailable($"scripts/pgaudit-server.sh start (PGAUDIT_PRELOAD={(preload ? 1 : 0)}) exited with {exit}: {stderr.Trim()}");
        }

        var exports = Script.Exports(stdout);
        return new TestServer(directory, exports["PGHOST"], int.Parse(exports["PGPORT"], CultureInfo.InvariantCulture));
    }

    /// <summary>A connection string as a user would give it to --connection.</summary>
    public string ConnectionString(string database, string user = "postgres", string? password = null)
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = SocketDirectory, Port = Port, Username = user, Database = database };
        if (password is not null) builder.Password = password;
        return builder.ConnectionString;
    }

    /// <summary>A new, empty database (from template1: no pgaudit extension, no settings), so tests do not see each other.</summary>
    public string CreateDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        Execute("postgres", $"CREATE DATABASE {name}");
        return name;
    }

    public void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(database));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public object? Scalar(string database, string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(database));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Script.Run("pgaudit-server.sh", ["stop", Path.Combine(_directory, "c")]);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file the postgres user still holds open: the temp directory is cleaned up later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
