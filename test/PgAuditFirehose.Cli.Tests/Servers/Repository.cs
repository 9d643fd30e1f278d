namespace PgAuditFirehose.Cli.Tests.Servers;

/// <summary>The repository the tests run from: scripts/ and events/ are read from there.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "PgAuditFirehose.slnx"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No PgAuditFirehose.slnx above {AppContext.BaseDirectory}");
    }
}
