using System.Text.Json;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Lambda;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Lambda;

/// <summary>The handler as the managed runtime calls it, on the fixture events in events/.</summary>
public class FunctionTests
{
    private static KinesisFirehoseResponse Invoke(string eventFile, TransformerOptions? options = null)
    {
        var function = new Function(options ?? new TransformerOptions(), TextWriter.Null);
        using var input = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "events", eventFile));
        using var output = function.FunctionHandler(input);
        return JsonSerializer.Deserialize(output, FirehoseJson.Relaxed.KinesisFirehoseResponse)!;
    }

    [Theory]
    [InlineData("seed-blog.json", "Dropped,Ok")]
    [InlineData("control-message.json", "Dropped")]
    [InlineData("multi-line.json", "Dropped,Ok,Ok")]
    [InlineData("decompressed-envelope.json", "Ok")]
    [InlineData("extracted-message.json", "Ok")]
    [InlineData("bad-records.json", "Ok,ProcessingFailed,ProcessingFailed,ProcessingFailed,ProcessingFailed,ProcessingFailed,ProcessingFailed")]
    [InlineData("real-workload.json", "Dropped,Ok,Ok,Ok,Ok,Ok,Ok")]
    public void Fixture_events_give_the_expected_results(string eventFile, string results)
    {
        Assert.Equal(results.Split(','), Invoke(eventFile).Records.Select(r => r.Result));
    }

    [Fact]
    public void Seed_blog_lines_become_two_records()
    {
        var records = Pipeline.JsonRecords(Invoke("seed-blog.json")).ToList();

        Assert.Equal(["public.foo", "public.bar"], records.Select(r => r.GetProperty("object_name").GetString()));
        Assert.All(records, r => Assert.Equal("pg", r.GetProperty("db_identifier").GetString()));
    }

    [Fact]
    public void Decompressed_and_gzip_envelopes_give_the_same_records()
    {
        var gzip = Pipeline.JsonRecords(Invoke("seed-blog.json")).Select(r => r.GetRawText());
        var plain = Pipeline.JsonRecords(Invoke("decompressed-envelope.json")).Select(r => r.GetRawText());

        Assert.Equal(gzip, plain);
    }

    [Fact]
    public void Extracted_message_text_gives_the_records_without_metadata()
    {
        var records = Pipeline.JsonRecords(Invoke("extracted-message.json")).ToList();

        Assert.Equal(8, records.Count);
        Assert.All(records, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("log_group").ValueKind));
        Assert.All(records, r => Assert.Contains("\n", r.GetProperty("statement").GetString()!, StringComparison.Ordinal));
    }

    [Fact]
    public void Handler_returns_a_readable_stream_at_its_start()
    {
        var function = new Function(new TransformerOptions(), TextWriter.Null);
        using var input = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "events", "seed-blog.json"));
        using var output = function.FunctionHandler(input);

        Assert.Equal(0, output.Position);
        Assert.True(output.Length > 0);
    }

    [Fact]
    public void Input_that_is_not_a_firehose_event_is_an_invocation_error()
    {
        var function = new Function(new TransformerOptions(), TextWriter.Null);
        using var input = new MemoryStream("[1,2,3]"u8.ToArray());

        var e = Assert.Throws<InvalidDataException>(() => function.FunctionHandler(input));
        Assert.Contains("not a Firehose transformation event", e.Message, StringComparison.Ordinal);
    }
}
