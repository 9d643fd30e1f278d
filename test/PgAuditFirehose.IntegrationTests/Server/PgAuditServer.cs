using System.Diagnostics;
using System.Text;

namespace PgAuditFirehose.IntegrationTests.Server;

/// <summary>
/// A throwaway PostgreSQL 15 + pgaudit cluster in its own temp directory, started and stopped with
/// scripts/pgaudit-server.sh. Logs: <see cref="StderrLogPath"/> (the input) and <see cref="CsvLogPath"/> (the truth).
/// </summary>
internal sealed class PgAuditServer : IDisposable
{
    private PgAuditServer(string directory, string logLinePrefix, IReadOnlyDictionary<string, string> exports)
    {
        Directory = directory;
        LogLinePrefix = logLinePrefix;
        SocketDirectory = exports["PGHOST"];
        Port = int.Parse(exports["PGPORT"], System.Globalization.CultureInfo.InvariantCulture);
        LogDirectory = exports["PGAUDIT_LOG_DIR"];
    }

    public string Directory { get; }
    public string LogLinePrefix { get; }
    public string SocketDirectory { get; }
    public int Port { get; }
    public string LogDirectory { get; }
    public string StderrLogPath => Path.Combine(LogDirectory, "postgresql.log");
    public string CsvLogPath => Path.Combine(LogDirectory, "postgresql.csv");
    public bool Running { get; private set; } = true;

    /// <summary>Starts a new cluster; throws <see cref="ServerUnavailableException"/> with the script's own words when it cannot.</summary>
    public static PgAuditServer Start(string logLinePrefix, bool sessionEvents = false)
    {
        // A short path: the unix socket's path must fit in 107 bytes. 0755 so the postgres user can enter it.
        var directory = System.IO.Directory.CreateTempSubdirectory("pgaudit-it.").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var cluster = Path.Combine(directory, "cluster");
        ProcessResult result;
        var attempt = 0;
        do
        {
            // A free port of our own: the script's default (the first free one from 54329) races with other
            // test projects starting servers at the same time.
            var environment = new Dictionary<string, string?>
            {
                ["PGAUDIT_LOG_LINE_PREFIX"] = logLinePrefix, ["PGAUDIT_PORT"] = FreePort(), ["PGAUDIT_SESSION_EVENTS"] = sessionEvents ? "1" : "0",
            };
            result = Run(ServerScript, ["start", cluster], environment);
        }
        while (result.ExitCode != 0 && ++attempt < 3 && result.Stderr.Contains("did not start", StringComparison.Ordinal));

        if (result.ExitCode != 0)
        {
            TryDelete(directory);
            throw new ServerUnavailableException($"scripts/pgaudit-server.sh start exited with {result.ExitCode}:\n{result.Stderr.Trim()}");
        }

        var exports = new Dictionary<string, string>();
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "export NAME=value" with value quoted by printf %q; our paths need no unquoting.
            var assignment = line["export ".Length..];
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            exports[assignment[..equals]] = assignment[(equals + 1)..];
        }

        return new PgAuditServer(directory, logLinePrefix, exports);
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string ServerScript => Path.Combine(RepositoryRoot, "scripts", "pgaudit-server.sh");

    /// <summary>Stops the server, which also flushes the logging collector's files.</summary>
    public void Stop()
    {
        if (!Running) return;
        var result = Run(ServerScript, ["stop", Path.Combine(Directory, "cluster")], null);
        if (result.ExitCode != 0) throw new InvalidOperationException($"pgaudit-server.sh stop failed: {result.Stderr}");
        Running = false;
    }

    /// <summary>Environment for psql and friends: the socket directory, port and superuser.</summary>
    public Dictionary<string, string?> ClientEnvironment() => new()
    {
        ["PGHOST"] = SocketDirectory,
        ["PGPORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PGUSER"] = "postgres",
        ["PGDATABASE"] = "postgres",
        ["PGOPTIONS"] = null,
        ["PGPASSWORD"] = null,
        ["PSQLRC"] = "/dev/null",
    };

    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            TryDelete(Directory);
        }
    }

    public static ProcessResult Run(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment, TimeSpan? timeout = null, byte[]? stdin = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing a test for.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PgAuditFirehose.slnx"))) return dir.FullName;
        }

        throw new InvalidOperationException($"no PgAuditFirehose.slnx above {AppContext.BaseDirectory}");
    }
}

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

internal sealed class ServerUnavailableException(string message) : Exception(message);
