using System.Text;
using PgAuditFirehose.ServerLog;

namespace PgAuditFirehose.Tests.ServerLog;

/// <summary>The FATAL texts that refuse a login, as PostgreSQL 15's auth.c, miscinit.c and postinit.c format them.</summary>
public class LoginFailuresTests
{
    [Theory]
    [InlineData("password authentication failed for user \"app\"")]
    [InlineData("Peer authentication failed for user \"app\"")]
    [InlineData("Ident authentication failed for user \"app\"")]
    [InlineData("LDAP authentication failed for user \"app\"")]
    [InlineData("certificate authentication failed for user \"app\"")]
    [InlineData("certificate authentication failed for user \"app\": client certificate contains no user name")]
    [InlineData("RADIUS authentication failed for user \"app\"")]
    [InlineData("GSSAPI authentication failed for user \"app\"")]
    [InlineData("PAM authentication failed for user \"app\"")]
    [InlineData("\"trust\" authentication failed for user \"app\"")]
    [InlineData("authentication failed for user \"app\": host rejected")]
    [InlineData("no pg_hba.conf entry for host \"10.0.0.5\", user \"app\", database \"shop\", SSL encryption")]
    [InlineData("no pg_hba.conf entry for replication connection from host \"10.0.0.5\", user \"rep\", no encryption")]
    [InlineData("pg_hba.conf rejects connection for host \"10.0.0.5\", user \"app\", database \"shop\", no encryption")]
    [InlineData("role \"ghost\" does not exist")]
    [InlineData("role \"guest\" is not permitted to log in")]
    [InlineData("database \"nosuch\" does not exist")]
    [InlineData("permission denied for database \"shop\"")]
    [InlineData("connection requires a valid client certificate")]
    public void Refusals_for_who_is_asking_are_login_failures(string message)
    {
        Assert.True(LoginFailures.IsLoginFailure(Encoding.UTF8.GetBytes(message)), message);
    }

    [Theory]
    [InlineData("terminating connection due to administrator command")]
    [InlineData("too many connections for role \"app\"")]
    [InlineData("too many connections for database \"shop\"")]
    [InlineData("remaining connection slots are reserved for non-replication superuser connections")]
    [InlineData("sorry, too many clients already")]
    [InlineData("database \"shop\" is not currently accepting connections")]
    [InlineData("the database system is shutting down")]
    [InlineData("could not connect: password authentication failed for user \"app\"")]
    public void Refusals_for_load_or_state_and_quoted_texts_are_not(string message)
    {
        Assert.False(LoginFailures.IsLoginFailure(Encoding.UTF8.GetBytes(message)), message);
    }
}
