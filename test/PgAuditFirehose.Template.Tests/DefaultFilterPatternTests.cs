using PgAuditFirehose.Template.Tests.CloudFormation;
using PgAuditFirehose.Template.Tests.CloudWatchLogs;

namespace PgAuditFirehose.Template.Tests;

/// <summary>The template's default subscription filter pattern against lines PostgreSQL writes.</summary>
public class DefaultFilterPatternTests
{
    internal static readonly FilterPattern Default = FilterPattern.Parse(CfnTemplate.Current.Default("FilterPattern"));

    private static readonly string[] AuditLineTexts =
    [
        // The seed blog's line (RDS/Aurora prefix %t:%r:%u@%d:[%p]:).
        "2022-03-25 13:52:29 UTC:172.31.40.77(53806):postgres@test:[3152]:LOG:  AUDIT: SESSION,8,1,DDL,CREATE TABLE,TABLE,public.bar,create table bar(b int);,<not logged>",
        // pgaudit.log_client=on with pgaudit.log_level notice / warning / info / debug1..5 (PostgreSQL prints DEBUG for all five).
        "2026-11-25 10:39:38 UTC:::1(36108):postgres@postgres:[7457]:NOTICE:  AUDIT: SESSION,4,1,READ,SELECT,,,SELECT owner FROM accounts WHERE id = 1;,<not logged>",
        "2026-11-25 10:39:38 UTC:::1(36108):postgres@postgres:[7457]:WARNING:  AUDIT: OBJECT,6,1,READ,SELECT,TABLE,public.accounts,SELECT owner FROM accounts WHERE id = 2;,<not logged>",
        "2026-11-25 10:39:38 UTC:::1(36108):postgres@postgres:[7457]:INFO:  AUDIT: SESSION,8,1,READ,SELECT,,,SELECT 1;,<not logged>",
        "2026-11-25 10:39:38 UTC:::1(36108):postgres@postgres:[7457]:DEBUG:  AUDIT: SESSION,9,1,READ,SELECT,,,SELECT 1;,<not logged>",
        // log_error_verbosity=verbose: the SQLSTATE comes first, 00000 below WARNING, 01000 for WARNING.
        "2026-11-25 10:39:38 UTC:[local]:postgres@postgres:[7458]:LOG:  00000: AUDIT: SESSION,2,1,READ,SELECT,,,SELECT count(*) FROM accounts;,<not logged>",
        "2026-11-25 10:39:38 UTC:[local]:postgres@postgres:[7458]:WARNING:  01000: AUDIT: SESSION,3,1,READ,SELECT,,,SELECT 1;,<not logged>",
        // Background process (empty %r and %u@%d), and the longer RDS prefix with %a.
        "2026-11-25 10:39:38 UTC::@:[2952]:LOG:  AUDIT: SESSION,1,1,MISC,VACUUM,,,VACUUM;,<not logged>",
        "2026-11-25 10:39:38.723 UTC:[local]:postgres@postgres:[7521]:1:00000:2026-11-25 10:39:38 UTC:3/3:0:6b06baea.1d61:psql:LOG:  AUDIT: SESSION,1,1,DDL,CREATE EXTENSION,,,CREATE EXTENSION IF NOT EXISTS pgaudit;,<not logged>",
        // A self-managed server's prefix ending in a space ('%m [%p] ').
        "2026-11-25 10:39:38.723 UTC [7521] LOG:  AUDIT: SESSION,1,1,ROLE,GRANT,,,GRANT SELECT ON accounts TO auditor;,<not logged>",
        // A multi-line statement: one CloudWatch event with the tab PostgreSQL adds after each newline.
        "2026-11-25 10:39:38 UTC:[local]:postgres@postgres:[7454]:LOG:  AUDIT: SESSION,8,1,DDL,CREATE TABLE,TABLE,public.accounts,\"CREATE TABLE accounts (\n\t    id int PRIMARY KEY\n\t);\",<not logged>",
    ];

    public static TheoryData<string> AuditLines => new(AuditLineTexts);

    /// <summary>Entries that become CONNECTION, DISCONNECTION, LOGIN_FAILURE and ERROR records, and the continuations they take (real lines, PostgreSQL 15).</summary>
    public static TheoryData<string> ServerRecordLines =>
    [
        "2026-12-08 03:49:17 UTC:127.0.0.1(55494):app@appdb:[22550]:LOG:  connection authorized: user=app database=appdb application_name=billing-service SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
        "2026-12-08 03:49:23 UTC:127.0.0.1(55604):reporter@appdb:[22646]:LOG:  00000: connection authorized: user=reporter database=appdb application_name=verbose-client SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
        "2026-12-08 03:49:18 UTC:127.0.0.1(55500):reporter@appdb:[22554]:LOG:  disconnection: session time: 0:00:01.296 user=reporter database=appdb host=127.0.0.1 port=55500",
        "2026-12-08 03:49:22 UTC:[local]:postgres@appdb:[22639]:LOG:  00000: disconnection: session time: 0:00:00.074 user=postgres database=appdb host=[local]",
        "2026-12-08 03:49:20 UTC:127.0.0.1(55524):app@appdb:[22597]:FATAL:  password authentication failed for user \"app\"",
        "2026-12-08 03:49:23 UTC:127.0.0.1(55608):reporter@appdb:[22649]:FATAL:  28P01: password authentication failed for user \"reporter\"",
        "2026-12-08 03:49:20 UTC:127.0.0.1(55532):ghost@appdb:[22601]:DETAIL:  Role \"ghost\" does not exist.\n\tConnection matched pg_hba.conf line 7: \"host    postgres,appdb     all      127.0.0.1/32   scram-sha-256\"",
        "2026-11-25 10:39:38 UTC:[local]:postgres@postgres:[7455]:ERROR:  division by zero",
        "2026-12-08 03:49:22 UTC:[local]:postgres@appdb:[22639]:ERROR:  22012: division by zero",
        "2026-12-08 03:49:22 UTC:127.0.0.1(55564):app@appdb:[22637]:HINT:  No function matches the given name and argument types. You might need to add explicit type casts.",
        "2026-12-08 03:49:22 UTC:127.0.0.1(55564):app@appdb:[22637]:CONTEXT:  PL/pgSQL function inline_code_block line 3 at RAISE",
        "2026-11-25 10:39:38 UTC:127.0.0.1(53288):app@postgres:[7462]:STATEMENT:  UPDATE accounts SET note = 'AUDIT: pending';",
    ];

    public static TheoryData<string> OtherServerLines =>
    [
        "2026-11-25 10:39:37 UTC::@:[7420]:LOG:  database system is ready to accept connections",
        "2026-11-25 10:39:37 UTC::@:[7420]:LOG:  parameter \"pgaudit.log\" changed to \"all\"",
        "2026-11-25 10:39:38 UTC::@:[7422]:LOG:  checkpoint starting: immediate force wait",
        "2026-12-08 03:49:17 UTC:127.0.0.1(55494):[unknown]@[unknown]:[22550]:LOG:  connection received: host=127.0.0.1 port=55494",
        "2026-12-08 03:49:17 UTC:127.0.0.1(55494):app@appdb:[22550]:LOG:  connection authenticated: identity=\"app\" method=scram-sha-256 (/tmp/pgaudit-sessions/cluster/data/pg_hba.conf:7)",
        "2026-11-25 10:39:38 UTC:10.0.0.5(40112):app@shop:[7462]:LOG:  statement: SELECT * FROM audit_events;",
        "2026-11-25 10:39:38 UTC:10.0.0.5(40112):app@shop:[7462]:LOG:  duration: 0.512 ms",
        "2026-11-25 10:39:38 UTC:10.0.0.5(40112):app@shop:[7462]:WARNING:  there is no transaction in progress",
        "2026-12-08 03:49:22 UTC:127.0.0.1(55564):app@appdb:[22637]:QUERY:  SELECT * FROM nosuch_relation",
        // The line verbose mode writes after each audit line and each message.
        "2026-11-25 10:39:38 UTC:[local]:postgres@postgres:[7458]:LOCATION:  log_audit_event, pgaudit.c:783",
    ];

    [Theory]
    [MemberData(nameof(AuditLines))]
    public void Matches_pgaudit_lines(string line)
    {
        Assert.True(Default.Matches(line), line);
    }

    [Theory]
    [MemberData(nameof(ServerRecordLines))]
    public void Matches_the_server_entries_that_become_records_and_their_continuations(string line)
    {
        Assert.True(Default.Matches(line), line);
    }

    [Theory]
    [MemberData(nameof(OtherServerLines))]
    public void Does_not_match_other_server_lines(string line)
    {
        Assert.False(Default.Matches(line), line);
    }

    [Fact]
    public void The_seed_blogs_pattern_misses_the_seed_blogs_own_line()
    {
        // ":LOG: AUDIT:" has one space; PostgreSQL writes two after the severity.
        var seed = FilterPattern.Parse("\":LOG: AUDIT:\"");

        Assert.All(AuditLineTexts, line => Assert.False(seed.Matches(line), line));
    }

    [Fact]
    public void Is_a_list_of_alternatives_only()
    {
        // A plain term next to ?-terms would make CloudWatch ignore every ?-term.
        Assert.Empty(Default.Required);
        Assert.NotEmpty(Default.Alternatives);
    }

    [Fact]
    public void Every_term_is_an_audit_or_server_entry_marker_and_starts_after_a_token_boundary()
    {
        // Each term starts at a character PostgreSQL writes after ':' or ' ' (a severity or a
        // SQLSTATE), so the match holds whether CloudWatch compares substrings or tokens.
        string[] server = ["connection authorized:", "disconnection: session time:", "ERROR:", "FATAL:", "PANIC:", "DETAIL:", "HINT:", "CONTEXT:", "STATEMENT:"];
        Assert.All(Default.Alternatives, term =>
        {
            Assert.True(term.EndsWith("AUDIT:", StringComparison.Ordinal) || server.Contains(term), term);
            Assert.True(char.IsAsciiLetterOrDigit(term[0]), term);
        });
        Assert.All(server, term => Assert.Contains(term, Default.Alternatives));
    }

    [Fact]
    public void Fits_the_subscription_filter_length_limit()
    {
        Assert.InRange(CfnTemplate.Current.Default("FilterPattern").Length, 1, 1024);
    }
}
