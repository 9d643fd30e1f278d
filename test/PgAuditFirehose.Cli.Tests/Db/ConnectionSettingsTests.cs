using PgAuditFirehose.Cli.Db;

namespace PgAuditFirehose.Cli.Tests.Db;

public sealed class ConnectionSettingsTests
{
    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["PGHOST"] = "env-host",
        ["PGPORT"] = "6543",
        ["PGDATABASE"] = "env_db",
        ["PGUSER"] = "env_user",
        ["PGSSLMODE"] = "require",
    };

    [Fact]
    public void The_PG_variables_fill_in_what_the_connection_string_leaves_out()
    {
        var settings = ConnectionSettings.Resolve("Database=app", name => Environment.GetValueOrDefault(name));

        Assert.Equal("env-host", settings.Builder.Host);
        Assert.Equal(6543, settings.Builder.Port);
        Assert.Equal("app", settings.Builder.Database);
        Assert.Equal("env_user", settings.Builder.Username);
        Assert.Equal(Npgsql.SslMode.Require, settings.Builder.SslMode);
        Assert.Equal("env_user@env-host:6543/app", settings.Describe());
    }

    [Fact]
    public void The_connection_string_wins_over_the_PG_variables()
    {
        var settings = ConnectionSettings.Resolve("Host=db.example.com;Port=5432;Username=admin;SSL Mode=Disable", name => Environment.GetValueOrDefault(name));

        Assert.Equal("admin@db.example.com:5432/env_db", settings.Describe());
        Assert.Equal(Npgsql.SslMode.Disable, settings.Builder.SslMode);
    }

    [Fact]
    public void Describe_never_shows_the_password_and_Scrub_masks_it()
    {
        var settings = ConnectionSettings.Resolve("Host=h;Username=u;Password=Sup3r-Secret;Database=d", _ => null);

        Assert.Equal("u@h:5432/d", settings.Describe());
        Assert.Equal("auth failed for ******** here", settings.Scrub("auth failed for Sup3r-Secret here"));
    }

    [Fact]
    public void A_bad_PGPORT_is_an_error_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => ConnectionSettings.Resolve(null, name => name == "PGPORT" ? "54x" : null));

        Assert.Contains("PGPORT='54x'", e.Message, StringComparison.Ordinal);
    }
}
