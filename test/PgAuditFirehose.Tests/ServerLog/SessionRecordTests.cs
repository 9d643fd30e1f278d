using System.Text.Json;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.ServerLog;

/// <summary>CONNECTION and DISCONNECTION records from a real server's log_connections / log_disconnections entries.</summary>
public class SessionRecordTests
{
    [Fact]
    public void Connection_authorized_becomes_a_connection_record_with_its_application_name()
    {
        var entry = SessionLog.Entry("application_name=billing-service SSL enabled");

        var record = Assert.Single(SessionLog.Json([entry]).Records);

        Assert.Equal("CONNECTION", Text(record, "record_type"));
        Assert.Equal("billing-service", Text(record, "application_name"));
        Assert.Equal("LOG", Text(record, "severity"));
        Assert.Equal("app", Text(record, "user_name"));
        Assert.Equal("appdb", Text(record, "database_name"));
        Assert.Equal("127.0.0.1", Text(record, "remote_host"));
        Assert.Equal(entry[(entry.IndexOf("LOG:  ", StringComparison.Ordinal) + 6)..], Text(record, "message"));
        Assert.EndsWith("SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)", Text(record, "message"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_application_name_with_a_space_runs_to_the_end_without_ssl()
    {
        var record = Assert.Single(SessionLog.Json([SessionLog.Entry("application_name=monthly report")]).Records);

        Assert.Equal("monthly report", Text(record, "application_name"));
        Assert.DoesNotContain("SSL", Text(record, "message"), StringComparison.Ordinal);
    }

    [Fact]
    public void Columns_that_do_not_apply_to_a_connection_are_null()
    {
        var record = Assert.Single(SessionLog.Json([SessionLog.Entry("application_name=billing-service")]).Records);

        foreach (var column in new[] { "audit_type", "statement_id", "statement", "parameter", "parameters", "rows", "detail", "hint", "context", "sql_state", "session_duration_ms" })
        {
            Assert.Equal(JsonValueKind.Null, record.GetProperty(column).ValueKind);
        }

        // As on audit records: there only when the entry failed to parse.
        Assert.False(record.TryGetProperty("raw_message", out _));
        Assert.False(record.TryGetProperty("parse_error", out _));
    }

    [Fact]
    public void Disconnection_has_the_session_time_in_milliseconds()
    {
        var entry = SessionLog.Entry("disconnection: session time: 0:00:01.");
        var shown = entry[(entry.IndexOf("session time: ", StringComparison.Ordinal) + 14)..].Split(' ')[0];

        var record = Assert.Single(SessionLog.Json([entry]).Records);

        Assert.Equal("DISCONNECTION", Text(record, "record_type"));
        Assert.Equal((long)TimeSpan.Parse(shown, System.Globalization.CultureInfo.InvariantCulture).TotalMilliseconds, record.GetProperty("session_duration_ms").GetInt64());
        Assert.InRange(record.GetProperty("session_duration_ms").GetInt64(), 1200, 60_000);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("application_name").ValueKind);
    }

    [Fact]
    public void Verbose_session_entries_carry_their_sqlstate_and_drop_the_location()
    {
        var entries = SessionLog.From("LOG:  00000: connection authorized: user=reporter", following: 1);

        var (records, log) = SessionLog.Json(entries);

        var record = Assert.Single(records);
        Assert.Equal("00000", Text(record, "sql_state"));
        Assert.Equal("verbose-client", Text(record, "application_name"));
        Assert.StartsWith("connection authorized: ", Text(record, "message"), StringComparison.Ordinal);
        Assert.Contains("\"SkippedLines\":1", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_received_and_authenticated_are_skipped_and_counted()
    {
        var entries = new[] { SessionLog.Entry("LOG:  connection received: host=127.0.0.1"), SessionLog.Entry("LOG:  connection authenticated: identity=") };

        var (records, log) = SessionLog.Json(entries);

        Assert.Empty(records);
        Assert.Contains("\"SkippedLines\":2", log, StringComparison.Ordinal);
        Assert.Contains("\"OkRecords\":0", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_session_entry_of_the_real_log_becomes_one_record()
    {
        var expected = SessionLog.Entries.Count(e => e.Contains("connection authorized: ", StringComparison.Ordinal) || e.Contains("disconnection: session time: ", StringComparison.Ordinal));

        var records = SessionLog.Json(SessionLog.Entries, perEnvelope: 7).Records;

        Assert.Equal(expected, records.Count(r => Text(r, "record_type") is "CONNECTION" or "DISCONNECTION"));
    }

    internal static string? Text(JsonElement record, string column) =>
        record.GetProperty(column).ValueKind == JsonValueKind.Null ? null : record.GetProperty(column).GetString();
}
