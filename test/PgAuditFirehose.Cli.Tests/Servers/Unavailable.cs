namespace PgAuditFirehose.Cli.Tests.Servers;

/// <summary>
/// A test server (PostgreSQL + pgaudit, moto) that cannot start: the test is skipped with how to install
/// what is missing — or fails, when CI=true, because there a skip would hide a broken pipeline.
/// </summary>
internal sealed class Unavailable(string message) : Exception(message)
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns the server, or skips / fails the calling test.</summary>
    public static T Require<T>(Lazy<T> server, string howToInstall)
    {
        ArgumentNullException.ThrowIfNull(server);
        try
        {
            return server.Value;
        }
        catch (Unavailable e)
        {
            if (IsCi) throw new InvalidOperationException($"CI=true and a test server cannot start: {e.Message}", e);
            Skip.If(true, $"{e.Message}\n{howToInstall}\n(With CI=true this is a failure, not a skip.)");
            throw;
        }
    }
}
