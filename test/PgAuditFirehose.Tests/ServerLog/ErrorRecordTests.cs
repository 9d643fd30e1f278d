using System.Text.Json;
using PgAuditFirehose.Tests.Support;
using static PgAuditFirehose.Tests.ServerLog.SessionRecordTests;

namespace PgAuditFirehose.Tests.ServerLog;

/// <summary>LOGIN_FAILURE and ERROR records and the continuation entries they take, from a real server's log.</summary>
public class ErrorRecordTests
{
    public static TheoryData<string, string> LoginFailures => new()
    {
        { "password authentication failed for user \"app\"", "Connection matched pg_hba.conf line" },
        { "password authentication failed for user \"postgres\"", "Connection matched pg_hba.conf line" },
        { "password authentication failed for user \"ghost\"", "Role \"ghost\" does not exist.\nConnection matched pg_hba.conf line" },
        { "FATAL:  role \"ghost\" does not exist", "" },
        { "FATAL:  database \"nosuchdb\" does not exist", "" },
        { "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"blocked\"", "" },
        { "no pg_hba.conf entry for host \"127.0.0.1\", user \"app\", database \"elsewhere\"", "" },
        { "role \"nologin_role\" is not permitted to log in", "" },
        { "permission denied for database \"appdb\"", "User does not have CONNECT privilege." },
        { "28P01: password authentication failed for user \"reporter\"", "Connection matched pg_hba.conf line" },
    };

    [Theory]
    [MemberData(nameof(LoginFailures))]
    public void A_refused_login_is_a_login_failure_with_its_detail(string message, string detail)
    {
        var record = SessionLog.Json(SessionLog.From(message, following: 2)).Records.First(r => Text(r, "severity") == "FATAL");

        Assert.Equal("LOGIN_FAILURE", Text(record, "record_type"));
        if (detail.Length == 0) Assert.Null(Text(record, "detail"));
        else Assert.StartsWith(detail, Text(record, "detail"), StringComparison.Ordinal);
        Assert.DoesNotContain("\t", Text(record, "detail") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_login_names_the_user_and_host_it_tried()
    {
        var record = Assert.Single(SessionLog.Json([SessionLog.Entry("password authentication failed for user \"postgres\"")]).Records);

        Assert.Equal("postgres", Text(record, "user_name"));
        Assert.Equal("127.0.0.1", Text(record, "remote_host"));
        Assert.True(record.GetProperty("remote_port").GetInt64() > 0);
        Assert.Null(Text(record, "sql_state"));
    }

    [Fact]
    public void A_login_failure_text_at_error_level_is_an_error()
    {
        var record = Assert.Single(SessionLog.Json(SessionLog.From("ERROR:  database \"nosuch_database\" does not exist", following: 1)).Records);

        Assert.Equal("ERROR", Text(record, "record_type"));
        Assert.Equal("DROP DATABASE nosuch_database;", Text(record, "statement"));
    }

    [Fact]
    public void A_session_the_administrator_ends_is_an_error_with_its_statement()
    {
        var record = Assert.Single(SessionLog.Json(SessionLog.From("terminating connection due to administrator command", following: 1)).Records);

        Assert.Equal("ERROR", Text(record, "record_type"));
        Assert.Equal("FATAL", Text(record, "severity"));
        Assert.Equal("SELECT pg_sleep(30)", Text(record, "statement"));
    }

    [Fact]
    public void An_error_takes_its_detail_hint_context_and_multi_line_statement_with_the_tabs_removed()
    {
        var record = Assert.Single(SessionLog.Json(SessionLog.From("ERROR:  balance -5 below zero", following: 4)).Records);

        Assert.Equal("ERROR", Text(record, "record_type"));
        Assert.Equal("balance -5 below zero", Text(record, "message"));
        Assert.Equal("account 1\nwas overdrawn", Text(record, "detail"));
        Assert.Equal("top it up", Text(record, "hint"));
        Assert.Equal("PL/pgSQL function inline_code_block line 3 at RAISE", Text(record, "context"));
        Assert.StartsWith("DO $$\nBEGIN\n    RAISE EXCEPTION", Text(record, "statement"), StringComparison.Ordinal);
        Assert.EndsWith("END\n$$;", Text(record, "statement"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_query_line_goes_nowhere_and_the_message_keeps_its_position()
    {
        var (records, log) = SessionLog.Json(SessionLog.From("ERROR:  relation \"nosuch_relation\" does not exist", following: 3));

        var record = Assert.Single(records);
        Assert.Equal("relation \"nosuch_relation\" does not exist at character 15", Text(record, "message"));
        Assert.Equal("PL/pgSQL function inline_code_block line 1 at PERFORM", Text(record, "context"));
        Assert.DoesNotContain(record.EnumerateObject(), p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.StartsWith("SELECT * FROM nosuch_relation", StringComparison.Ordinal));
        Assert.Contains("\"SkippedLines\":1", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbose_errors_carry_their_sqlstate_and_skip_the_location()
    {
        var record = Assert.Single(SessionLog.Json(SessionLog.From("ERROR:  23505: duplicate key value", following: 3)).Records);

        Assert.Equal("23505", Text(record, "sql_state"));
        Assert.Equal("duplicate key value violates unique constraint \"accounts_pkey\"", Text(record, "message"));
        Assert.Equal("Key (id)=(1) already exists.", Text(record, "detail"));
        Assert.Equal("INSERT INTO accounts VALUES (1, 'again');", Text(record, "statement"));
    }

    [Fact]
    public void Continuations_cut_off_by_the_envelope_make_their_own_error_record()
    {
        // The ERROR alone in the first envelope, its DETAIL, HINT, CONTEXT and STATEMENT in the second.
        var entries = SessionLog.From("ERROR:  balance -5 below zero", following: 4);

        var records = SessionLog.Json([entries.Take(1).ToList(), entries.Skip(1).ToList()]);

        Assert.Equal(2, records.Count);
        Assert.Equal("balance -5 below zero", Text(records[0], "message"));
        Assert.Null(Text(records[0], "detail"));
        var separated = records[1];
        Assert.Equal("ERROR", Text(separated, "record_type"));
        Assert.Null(Text(separated, "severity"));
        Assert.Null(Text(separated, "message"));
        Assert.Equal("account 1\nwas overdrawn", Text(separated, "detail"));
        Assert.Equal("app", Text(separated, "user_name"));
        Assert.Equal("top it up", Text(separated, "hint"));
        Assert.Equal("PL/pgSQL function inline_code_block line 3 at RAISE", Text(separated, "context"));
        Assert.StartsWith("DO $$\nBEGIN", Text(separated, "statement"), StringComparison.Ordinal);
        Assert.Equal(records[0].GetProperty("process_id").GetInt64(), separated.GetProperty("process_id").GetInt64());
        Assert.Equal(records[0].GetProperty("log_time").GetString(), separated.GetProperty("log_time").GetString());
    }

    [Fact]
    public void Separated_query_and_location_lines_alone_make_no_record()
    {
        var entries = SessionLog.From("ERROR:  22012: division by zero", following: 1);

        var (records, log) = SessionLog.Json([entries[1]]);

        Assert.Empty(records);
        Assert.Contains("\"SkippedLines\":1", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Continuations_of_an_audit_line_or_another_process_join_no_record()
    {
        var audit = SessionLog.Entries.First(e => e.Contains("LOG:  00000: AUDIT:", StringComparison.Ordinal));
        var location = SessionLog.Entry("LOCATION:  log_audit_event");
        var error = SessionLog.Entry("ERROR:  duplicate key value violates");
        var otherProcess = SessionLog.Entry("DETAIL:  User does not have CONNECT privilege.");

        var (records, log) = SessionLog.Json([audit, location, error, otherProcess]);

        Assert.Equal(["AUDIT", "ERROR"], records.Select(r => Text(r, "record_type")));
        Assert.Null(Text(records[1], "detail"));
        Assert.Contains("\"SkippedLines\":2", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_detail_from_the_same_process_starts_no_record_of_its_own()
    {
        var detail = SessionLog.Entry("DETAIL:  Key (id)=(1) already exists.");
        var entries = new[] { SessionLog.Entry("ERROR:  duplicate key value violates"), detail, detail };

        var records = SessionLog.Json(entries).Records;

        Assert.Equal("Key (id)=(1) already exists.", Text(Assert.Single(records), "detail"));
    }

    [Fact]
    public void Every_error_fatal_and_panic_entry_of_the_real_log_becomes_one_record()
    {
        var expected = SessionLog.Entries.Count(e => e.Contains("]:ERROR:  ", StringComparison.Ordinal) || e.Contains("]:FATAL:  ", StringComparison.Ordinal));

        var records = SessionLog.Json(SessionLog.Entries, perEnvelope: 1000).Records;

        Assert.Equal(expected, records.Count(r => Text(r, "record_type") is "ERROR" or "LOGIN_FAILURE"));
        Assert.Equal(10, records.Count(r => Text(r, "record_type") == "LOGIN_FAILURE"));
    }
}
