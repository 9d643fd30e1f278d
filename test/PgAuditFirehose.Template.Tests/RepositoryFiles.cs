namespace PgAuditFirehose.Template.Tests;

/// <summary>Files of the repository the tests read in place (found from the test assembly upwards).</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    public static string Root => RootDirectory.Value;

    public static string Template => Path.Combine(Root, "template.yaml");

    public static string SourceTemplate => Path.Combine(Root, "source.yaml");

    public static string InRepository(params string[] relative) => Path.Combine([Root, .. relative]);

    /// <summary>Real server logs captured by the integration work (stderr format plus the csvlog of the same run).</summary>
    public static string RealFixture(string fileName) =>
        InRepository("test", "PgAuditFirehose.Tests", "Fixtures", "real", fileName);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PgAuditFirehose.slnx"))
                && File.Exists(Path.Combine(directory.FullName, "template.yaml")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no PgAuditFirehose.slnx with template.yaml above {AppContext.BaseDirectory}");
    }
}
