using System.Text;
using System.Text.Json;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Records;

/// <summary>
/// U+2028 and U+2029 are written \u2028 and \u2029: an NDJSON record never holds them raw, so a reader that
/// splits on Unicode line breaks (Python's splitlines) still sees one record a line. The suite runs these
/// with the vector paths on and off (DOTNET_EnableHWIntrinsic=0, DOTNET_EnableAVX2=0, DOTNET_EnableAVX512=0).
/// </summary>
public sealed class LineSeparatorTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] LineSeparator = "\u2028"u8.ToArray();
    private static readonly byte[] ParagraphSeparator = "\u2029"u8.ToArray();

    // Texts of every length to 80 with a separator (or a look-alike: ’ “ –, which share its lead byte) at every position.
    public static TheoryData<string> Pieces => new() { "\u2028", "\u2029", "\u2019", "\u201c", "\u2013", "\u2028\u2029", "\u2028\"\u2029\\" };

    [Theory]
    [MemberData(nameof(Pieces))]
    public void Escape_writes_the_separators_as_u_escapes_at_every_position_and_nothing_else_changes(string piece)
    {
        for (var length = 0; length <= 80; length++)
        {
            for (var at = 0; at <= length; at++)
            {
                var text = new string('a', at) + piece + new string('b', length - at);
                var source = Encoding.UTF8.GetBytes(text);
                var destination = new byte[source.Length * 6 + 64];

                var written = JsonText.Escape(source, destination);

                var expected = JsonSerializer.Serialize(text, Relaxed)[1..^1].Replace("\u2028", "\\u2028", StringComparison.Ordinal).Replace("\u2029", "\\u2029", StringComparison.Ordinal);
                Assert.Equal(expected, Encoding.UTF8.GetString(destination, 0, written));
                Assert.Equal(written, JsonText.EscapedLength(source));
            }
        }
    }

    [Fact]
    public void Line_separator_index_finds_only_the_two_separators()
    {
        Assert.Equal(-1, JsonText.LineSeparatorIndex("’“–…"u8));
        Assert.Equal(3, JsonText.LineSeparatorIndex("’\u2029"u8));
        Assert.Equal(1, JsonText.LineSeparatorIndex("a\u2028b"u8));
        Assert.Equal(-1, JsonText.LineSeparatorIndex([0xE2, 0x80]));
    }

    // Where a separator can be: the statement (taken from the escaped JSON, or unescaped), the user name in
    // the prefix, the object name among the leading fields; in an envelope whose JSON escapes it or not.
    public static TheoryData<bool, bool, string> Cases()
    {
        var data = new TheoryData<bool, bool, string>();
        foreach (var rawInJson in new[] { true, false })
        {
            foreach (var fromEscapedText in new[] { true, false })
            {
                data.Add(rawInJson, fromEscapedText, "statement");
                data.Add(rawInJson, fromEscapedText, "user");
                data.Add(rawInJson, fromEscapedText, "object");
                data.Add(rawInJson, fromEscapedText, "plain statement");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_output_record_holds_a_raw_separator(bool rawInJson, bool fromEscapedText, string where)
    {
        var statement = where switch
        {
            "statement" => "select 'line one\u2028line two',\n\t\"x\"\u2029 from t;",
            "plain statement" => "select 'a\u2028b\u2029c' from t;",
            _ => "select 1;",
        };
        var user = where == "user" ? "al\u2028ice" : "alice";
        var objectName = where == "object" ? "public.t\u2029" : "public.t";
        var message = $"2026-12-08 10:00:00 UTC:10.0.0.1(5432):{user}@app:[42]:LOG:  AUDIT: OBJECT,3,1,READ,SELECT,TABLE,{objectName},{Csv(statement)},<none>";

        var output = Transform(message, rawInJson, fromEscapedText);

        Assert.Equal(-1, output.AsSpan().IndexOf(LineSeparator));
        Assert.Equal(-1, output.AsSpan().IndexOf(ParagraphSeparator));
        var records = Encoding.UTF8.GetString(output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var record = Assert.Single(records);
        Assert.Single(record.ReplaceLineEndings("\n").Split('\n'));
        var json = JsonDocument.Parse(record).RootElement;
        Assert.Equal(statement.Replace("\n\t", "\n", StringComparison.Ordinal), json.GetProperty("statement").GetString());
        Assert.Equal(user, json.GetProperty("user_name").GetString());
        Assert.Equal(objectName, json.GetProperty("object_name").GetString());
    }

    [Theory]
    [InlineData("al\u2028ice", "select 1;")]
    [InlineData("alice", "select 'a\u2028b' from t;")]
    public void The_general_json_reader_path_escapes_them_too(string user, string statement)
    {
        // A key written with an escape is left by the envelope scanner to Utf8JsonReader.
        var message = $"2026-12-08 10:00:00 UTC:10.0.0.1(5432):{user}@app:[42]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,{statement},<none>";

        var output = Transform(message, rawInJson: true, fromEscapedText: true, json => json.Replace("\"message\":", "\"m\\u0065ssage\":", StringComparison.Ordinal));

        Assert.Equal(-1, output.AsSpan().IndexOf(LineSeparator));
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(user, json.GetProperty("user_name").GetString());
        Assert.Equal(statement, json.GetProperty("statement").GetString());
    }

    [Fact]
    public void A_parse_error_keeps_the_raw_message_with_its_separators_escaped()
    {
        var message = "2026-12-08 10:00:00 XYZ:10.0.0.1(5432):alice@app:[42]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select '\u2028',<none>";

        var output = Transform(message, rawInJson: true, fromEscapedText: true);

        Assert.Equal(-1, output.AsSpan().IndexOf(LineSeparator));
        Assert.Equal(message, JsonDocument.Parse(output).RootElement.GetProperty("raw_message").GetString());
    }

    private static byte[] Transform(string message, bool rawInJson, bool fromEscapedText, Func<string, string>? rewrite = null)
    {
        var events = new[] { new SubscriptionEnvelopeWriter.EnvelopeEvent(SubscriptionEnvelopeWriter.EventId(1795603178000, 0), 1795603178000, message) };
        var json = Encoding.UTF8.GetString(SubscriptionEnvelopeWriter.DataMessage("123456789012", Pipeline.LogGroup, Pipeline.LogStream, events));
        // CloudWatch Logs' JSON may carry them raw (valid JSON) or escaped.
        json = rawInJson
            ? json.Replace("\\u2028", "\u2028", StringComparison.Ordinal).Replace("\\u2029", "\u2029", StringComparison.Ordinal)
            : json.Replace("\u2028", "\\u2028", StringComparison.Ordinal).Replace("\u2029", "\\u2029", StringComparison.Ordinal);
        Assert.Equal(rawInJson, json.Contains('\u2028', StringComparison.Ordinal) || json.Contains('\u2029', StringComparison.Ordinal));
        json = rewrite?.Invoke(json) ?? json;
        var request = new KinesisFirehoseEvent { InvocationId = "separators" };
        request.Records.Add(Pipeline.Record("r0", SubscriptionEnvelopeWriter.Gzip(Encoding.UTF8.GetBytes(json))));

        var (response, _) = Pipeline.Run(request, new TransformerOptions { StatementsFromEscapedText = fromEscapedText });

        var record = Assert.Single(response.Records);
        Assert.Equal(KinesisFirehoseResponse.TransformedStateOk, record.Result);
        return Convert.FromBase64String(record.Base64EncodedData);
    }

    private static string Csv(string field) =>
        field.Contains(',', StringComparison.Ordinal) || field.Contains('"', StringComparison.Ordinal) || field.Contains('\n', StringComparison.Ordinal)
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
