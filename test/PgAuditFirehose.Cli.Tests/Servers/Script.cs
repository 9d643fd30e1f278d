using System.Diagnostics;

namespace PgAuditFirehose.Cli.Tests.Servers;

/// <summary>Runs one of scripts/*.sh and returns its exit code and output.</summary>
internal static class Script
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string script, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(Repository.Path("scripts", script))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Long enough for a first apt-get install of PostgreSQL and pgaudit.
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, stdout.Result, stderr.Result + $"\n{script} did not finish within 10 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The NAME=value pairs of the `export NAME=value` lines a start command prints (our values need no unquoting).</summary>
    public static Dictionary<string, string> Exports(string stdout)
    {
        var exports = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("export ", StringComparison.Ordinal)) continue;
            var assignment = line["export ".Length..];
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            exports[assignment[..equals]] = assignment[(equals + 1)..];
        }

        return exports;
    }

    /// <summary>A TCP port nothing listens on right now, picked by the kernel (not a fixed range another test run may scan too).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
