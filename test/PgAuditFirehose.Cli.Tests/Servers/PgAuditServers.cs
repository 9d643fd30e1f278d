namespace PgAuditFirehose.Cli.Tests.Servers;

/// <summary>
/// The two PostgreSQL 15 servers the db tests need, each started on first use and shared by the collection:
/// one with pgaudit preloaded and installed (as on a configured RDS instance), one without.
/// </summary>
public sealed class PgAuditServers : IDisposable
{
    private const string HowToInstall =
        "Install PostgreSQL 15 and pgaudit with `sudo apt-get install -y postgresql-15 postgresql-15-pgaudit` " +
        "(or run the tests once as root: scripts/pgaudit-server.sh installs what is missing).";

    private readonly Lazy<TestServer> _configured = new(() => TestServer.Start(preload: true));
    private readonly Lazy<TestServer> _withoutPreload = new(() => TestServer.Start(preload: false));

    /// <summary>pgaudit in shared_preload_libraries; CREATE EXTENSION pgaudit done in database postgres only.</summary>
    public TestServer Configured => Unavailable.Require(_configured, HowToInstall);

    /// <summary>shared_preload_libraries is empty: pgaudit cannot be installed.</summary>
    public TestServer WithoutPreload => Unavailable.Require(_withoutPreload, HowToInstall);

    public void Dispose()
    {
        if (_configured.IsValueCreated) _configured.Value.Dispose();
        if (_withoutPreload.IsValueCreated) _withoutPreload.Value.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PgAuditServersDefinition : ICollectionFixture<PgAuditServers>
{
    public const string Name = "PostgreSQL servers";
}
