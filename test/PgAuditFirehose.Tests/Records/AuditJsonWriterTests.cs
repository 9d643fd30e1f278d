using System.Text.Json;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Records;

public class AuditJsonWriterTests
{
    private static readonly Lazy<List<JsonElement>> Records = new(() => [.. Pipeline.JsonRecords(Pipeline.Run(Pipeline.RealWorkloadEvent()).Response)]);

    private static string[] Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    private static readonly AuditColumn[] ServerColumns =
    [
        AuditColumns.Message, AuditColumns.Detail, AuditColumns.Hint, AuditColumns.Context, AuditColumns.SqlState, AuditColumns.ApplicationName, AuditColumns.SessionDurationMs,
    ];

    [Fact]
    public void Audit_records_keys_follow_the_column_list_without_the_failure_server_log_and_redacted_columns()
    {
        var expected = AuditColumns.All.Where(c => c != AuditColumns.RawMessage && c != AuditColumns.ParseError && c != AuditColumns.Redacted && !ServerColumns.Contains(c)).Select(c => c.Name);

        Assert.All(Records.Value.Where(r => r.GetProperty("record_type").GetString() == "AUDIT"), r => Assert.Equal(expected, Keys(r)));
    }

    [Fact]
    public void Server_records_keys_follow_the_column_list_without_the_failure_and_redacted_columns()
    {
        var expected = AuditColumns.All.Where(c => c != AuditColumns.RawMessage && c != AuditColumns.ParseError && c != AuditColumns.Redacted).Select(c => c.Name);
        var server = Records.Value.Where(r => r.GetProperty("record_type").GetString() != "AUDIT").ToList();

        Assert.NotEmpty(server);
        Assert.All(server, r => Assert.Equal(expected, Keys(r)));
    }

    [Fact]
    public void A_line_that_failed_to_parse_has_every_column_but_redacted_in_order()
    {
        var request = Pipeline.Event(
            [new("1", 1, "2022-03-25 13:52:29 UTC:172.31.40.77(53806):postgres@test:[3152]:LOG:  AUDIT: SESSION,8,1,DDL")], 10, control: false);
        var record = Assert.Single(Pipeline.JsonRecords(Pipeline.Run(request).Response));

        Assert.Equal(AuditColumns.All.Where(c => !ServerColumns.Contains(c) && c != AuditColumns.Redacted).Select(c => c.Name), Keys(record));
        Assert.Contains("fewer than the 9 fields", record.GetProperty("parse_error").GetString(), StringComparison.Ordinal);
        Assert.Equal("postgres", record.GetProperty("user_name").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("statement").ValueKind);
    }

    [Fact]
    public void Numbers_are_json_numbers_and_absent_values_null()
    {
        var record = Records.Value.First(r => r.GetProperty("remote_host").GetString() == "[local]");

        Assert.Equal(JsonValueKind.Number, record.GetProperty("process_id").ValueKind);
        Assert.Equal(JsonValueKind.Number, record.GetProperty("statement_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("remote_port").ValueKind);
        Assert.Equal(JsonValueKind.Number, record.GetProperty("log_event_timestamp").ValueKind);
    }

    // The pid and the statement ids are copied from the line when their text is how they format, and
    // formatted when it is not: the JSON holds the number either way, never a leading zero or a sign.
    [Theory]
    [InlineData("%t:%r:%u@%d:[%p]:", "[7]", "1,1", 7, 1, 1)]
    [InlineData("%t:%r:%u@%d:[%p]:", "[0]", "0,10", 0, 0, 10)]
    [InlineData("%t:%r:%u@%d:[%p]:", "[007454]", "007,00", 7454, 7, 0)]
    [InlineData("%t:%r:%u@%d:[%p]:", "[123456789]", "+12,123", 123456789, 12, 123)]
    [InlineData("%t:%r:%u@%d:[%p]:", "[42]", "1234567890123,999", 42, 1234567890123, 999)]
    [InlineData("%t:%r:%u@%d:%p:", "07", "5,05", 7, 5, 5)]
    [InlineData("%t:%r:%u@%d:%p:", "31", "12,3", 31, 12, 3)]
    public void Numbers_are_written_in_their_shortest_form(string prefix, string pid, string ids, long expectedPid, long statementId, long substatementId)
    {
        var message = $"2026-11-25 10:39:38 UTC:[local]:postgres@postgres:{pid}:LOG:  AUDIT: SESSION,{ids},READ,SELECT,TABLE,public.t,SELECT 1 FROM t WHERE a = 1,<not logged>";
        var options = new TransformerOptions { Prefix = LogLinePrefix.Parse(prefix) };
        var text = Pipeline.Text(Assert.Single(Pipeline.Run(Pipeline.Event([new("1", 1, message)], 10, control: false), options).Response.Records));

        Assert.Contains($"\"process_id\":{expectedPid},", text, StringComparison.Ordinal);
        Assert.Contains($"\"statement_id\":{statementId},\"substatement_id\":{substatementId},", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_is_readable_utf8_not_escaped_html()
    {
        var response = Pipeline.Run(Pipeline.RealWorkloadEvent()).Response;
        var text = string.Concat(response.Records.Where(r => r.Result == "Ok").Select(Pipeline.Text));

        Assert.Contains("\"parameter\":\"<not logged>\"", text, StringComparison.Ordinal);
        Assert.Contains("日本語", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u003C", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Each_record_is_one_line_ending_in_a_newline_without_bom()
    {
        var response = Pipeline.Run(Pipeline.RealWorkloadEvent()).Response;

        Assert.All(response.Records.Where(r => r.Result == "Ok"), r =>
        {
            var bytes = Convert.FromBase64String(r.Base64EncodedData);
            Assert.NotEqual(0xEF, bytes[0]);
            Assert.Equal((byte)'\n', bytes[^1]);
            Assert.All(System.Text.Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries), l => JsonDocument.Parse(l).Dispose());
        });
    }

    [Fact]
    public void Envelope_metadata_and_event_are_on_every_record()
    {
        Assert.All(Records.Value, r =>
        {
            Assert.Equal(Pipeline.LogGroup, r.GetProperty("log_group").GetString());
            Assert.Equal(Pipeline.LogStream, r.GetProperty("log_stream").GetString());
            Assert.Equal("123456789012", r.GetProperty("account_id").GetString());
            Assert.Equal("prod-db", r.GetProperty("db_identifier").GetString());
            Assert.Equal(56, r.GetProperty("log_event_id").GetString()!.Length);
        });
    }

    [Theory]
    [InlineData("us\"er", "public.t", "select 1")]
    [InlineData("us\\er", "public.t", "select 1")]
    [InlineData("us\u0001er", "public.t", "select 1")]
    [InlineData("alice", "public.ba\\ck", "select 1")]
    [InlineData("alice", "public.ctl\u001fx", "select 1")]
    [InlineData("alice", "public.\"q\"", "select 1")]
    [InlineData("alice", "public.t", "select \"x\", '\\' from t where a = 'a long statement past the first 64 bytes'")]
    public void Names_that_need_escaping_are_escaped_wherever_they_sit(string user, string objectName, string statement)
    {
        // Long enough that the leading fields are split in one look (the fast way), as most real lines are.
        statement += " /*" + new string('p', 64) + "*/";
        var message = $"2024-05-01 10:00:00 UTC:10.0.0.1(5432):{user}@app:[42]:LOG:  AUDIT: OBJECT,3,1,READ,SELECT,TABLE,{PgAuditCsv.Field(objectName)},{PgAuditCsv.Field(statement)},<none>";
        var request = Pipeline.Event([new("1", 1, message)], 10, control: false);

        var record = Assert.Single(Pipeline.JsonRecords(Pipeline.Run(request).Response));

        Assert.False(record.TryGetProperty("parse_error", out _));
        Assert.Equal(user, record.GetProperty("user_name").GetString());
        Assert.Equal("app", record.GetProperty("database_name").GetString());
        Assert.Equal("10.0.0.1", record.GetProperty("remote_host").GetString());
        Assert.Equal(objectName, record.GetProperty("object_name").GetString());
        Assert.Equal(statement, record.GetProperty("statement").GetString());
        Assert.Equal("2024-05-01T10:00:00Z", record.GetProperty("log_time").GetString());
        Assert.Equal("LOG", record.GetProperty("severity").GetString());
    }

    [Theory]
    [InlineData("3712345678901234567890", "select 1")]
    [InlineData("id \"with\" quotes\\", "select 1")]
    [InlineData("37123", "select \"a\", 'b\\c'")]
    [InlineData("37123", "plain, but a comma makes pgAudit quote it")]
    public void Event_ids_and_statements_come_out_as_they_went_in_escaped_or_not(string id, string statement)
    {
        var message = $"2024-05-01 10:00:00 UTC:[local]:alice@app:[42]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,{PgAuditCsv.Field(statement)},<none>";
        var request = Pipeline.Event([new(id, 1, message)], 10, control: false);

        var record = Assert.Single(Pipeline.JsonRecords(Pipeline.Run(request).Response));

        Assert.Equal(id, record.GetProperty("log_event_id").GetString());
        Assert.Equal(statement, record.GetProperty("statement").GetString());
        Assert.Equal("<none>", record.GetProperty("parameter").GetString());
    }
}
