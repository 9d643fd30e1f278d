using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using PgAuditFirehose.IntegrationTests.Workload;

namespace PgAuditFirehose.IntegrationTests.Server;

/// <summary>
/// The workload's logs, one run per <c>log_line_prefix</c>, each on its own throwaway server started on
/// first use and shared by every test of the collection. When no server can start, tests skip with a
/// message saying how to install what is missing, or fail when <c>CI=true</c>.
/// </summary>
public sealed class ServerRuns : IDisposable
{
    public const string RdsDefault = "%t:%r:%u@%d:[%p]:";
    public const string RdsLong = "%m:%r:%u@%d:[%p]:%l:%e:%s:%v:%x:%c:%q%a:";
    public const string SelfManaged = "%m [%p] %q%u@%d ";

    private readonly ConcurrentDictionary<string, Lazy<WorkloadRun>> _runs = new();
    private readonly ConcurrentBag<PgAuditServer> _servers = [];

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The run for <paramref name="logLinePrefix"/>; skips (or fails on CI) the calling test when no server can start.</summary>
    public WorkloadRun Get(string logLinePrefix)
    {
        try
        {
            return _runs.GetOrAdd(logLinePrefix, p => new Lazy<WorkloadRun>(() => Run(p))).Value;
        }
        catch (ServerUnavailableException e)
        {
            if (IsCi) throw new InvalidOperationException($"CI=true and the PostgreSQL + pgaudit test server cannot start. {e.Message}", e);
            Skip.If(true,
                "No PostgreSQL 15 + pgaudit test server: " + e.Message + "\n" +
                "Install it with `sudo apt-get install -y postgresql-15 postgresql-15-pgaudit` (or run the tests once as root: " +
                "scripts/pgaudit-server.sh installs what is missing). With CI=true this is a failure, not a skip.");
            throw;
        }
    }

    /// <summary>
    /// The session workload's run (scripts/session-workload.sh on a server with log_connections, log_disconnections,
    /// SSL and pg_hba.conf rules for every login failure), with the RDS default prefix.
    /// </summary>
    public WorkloadRun GetSessions()
    {
        try
        {
            return _runs.GetOrAdd("sessions", _ => new Lazy<WorkloadRun>(RunSessions)).Value;
        }
        catch (ServerUnavailableException e)
        {
            if (IsCi) throw new InvalidOperationException($"CI=true and the PostgreSQL + pgaudit test server cannot start. {e.Message}", e);
            Skip.If(true, "No PostgreSQL 15 + pgaudit test server: " + e.Message);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var server in _servers) server.Dispose();
    }

    private WorkloadRun Run(string logLinePrefix)
    {
        var started = Stopwatch.GetTimestamp();
        var server = PgAuditServer.Start(logLinePrefix);
        _servers.Add(server);
        var ipv6 = Psql(server, "-Atqc", "SHOW listen_addresses").Contains("::1", StringComparison.Ordinal);
        var variables = new[] { "-v", "ON_ERROR_STOP=1", "-v", ipv6 ? "ipv6=true" : "ipv6=false" };
        Psql(server, [.. variables, "-f", Path.Combine(PgAuditServer.RepositoryRoot, "scripts", "workload.sql")]);
        Psql(server, [.. variables, "-f", Path.Combine(AppContext.BaseDirectory, "Workload", "extra.sql")]);
        ExtendedProtocolWorkload.Run(server, ipv6);
        // Stopping flushes the logging collector: both files are complete afterwards.
        server.Stop();
        return new WorkloadRun(
            logLinePrefix,
            ipv6,
            server.StderrLogPath,
            File.ReadAllBytes(server.StderrLogPath),
            File.ReadAllText(server.CsvLogPath, Encoding.UTF8),
            Stopwatch.GetElapsedTime(started));
    }

    private WorkloadRun RunSessions()
    {
        var started = Stopwatch.GetTimestamp();
        var server = PgAuditServer.Start(RdsDefault, sessionEvents: true);
        _servers.Add(server);
        var result = PgAuditServer.Run(Path.Combine(PgAuditServer.RepositoryRoot, "scripts", "session-workload.sh"), [], server.ClientEnvironment());
        if (result.ExitCode != 0) throw new InvalidOperationException($"session-workload.sh failed ({result.ExitCode}):\n{Tail(result.Stderr)}");
        server.Stop();
        return new WorkloadRun(RdsDefault, false, server.StderrLogPath, File.ReadAllBytes(server.StderrLogPath),
            File.ReadAllText(server.CsvLogPath, Encoding.UTF8), Stopwatch.GetElapsedTime(started));
    }

    private static string Psql(PgAuditServer server, params string[] arguments)
    {
        var bin = Environment.GetEnvironmentVariable("PGAUDIT_PG_BINDIR") ?? "/usr/lib/postgresql/15/bin";
        var result = PgAuditServer.Run(Path.Combine(bin, "psql"), ["-X", .. arguments], server.ClientEnvironment());
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{Tail(result.Stderr)}\n{Tail(result.Stdout)}");
        }

        return result.Stdout;
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));
}

/// <summary>One workload run: the server's stderr log (the pipeline's input) and its csvlog (the ground truth).</summary>
public sealed record WorkloadRun(string LogLinePrefix, bool Ipv6, string StderrLogPath, byte[] StderrLog, string CsvLog, TimeSpan Duration)
{
    /// <summary><c>%m</c> (milliseconds) or only <c>%t</c> (seconds).</summary>
    public bool HasMilliseconds => LogLinePrefix.Contains("%m", StringComparison.Ordinal);
}

[CollectionDefinition(Name)]
public sealed class WithPgAuditServer : ICollectionFixture<ServerRuns>
{
    public const string Name = "PostgreSQL + pgaudit server";
}
