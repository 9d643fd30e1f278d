using System.Text.Json;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Records;

public class AuditJsonWriterTests
{
    private static readonly Lazy<List<JsonElement>> Records = new(() => [.. Pipeline.JsonRecords(Pipeline.Run(Pipeline.RealWorkloadEvent()).Response)]);

    private static string[] Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void Keys_follow_the_column_list_without_the_failure_columns()
    {
        var expected = AuditColumns.All.Where(c => c != AuditColumns.RawMessage && c != AuditColumns.ParseError).Select(c => c.Name);

        Assert.All(Records.Value, r => Assert.Equal(expected, Keys(r)));
    }

    [Fact]
    public void A_line_that_failed_to_parse_has_every_column_in_order()
    {
        var request = Pipeline.Event(
            [new("1", 1, "2022-03-25 13:52:29 UTC:172.31.40.77(53806):postgres@test:[3152]:LOG:  AUDIT: SESSION,8,1,DDL")], 10, control: false);
        var record = Assert.Single(Pipeline.JsonRecords(Pipeline.Run(request).Response));

        Assert.Equal(AuditColumns.All.Select(c => c.Name), Keys(record));
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
}
