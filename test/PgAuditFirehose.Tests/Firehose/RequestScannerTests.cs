using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Firehose;

/// <summary>
/// The request scanner against Utf8JsonReader on the same bytes: it reads the events Firehose writes,
/// declines what is malformed or unusual, and whatever it accepts, it reads exactly as the reader does.
/// </summary>
public class RequestScannerTests
{
    private static string Snapshot(string? invocationId, List<RequestRecord> records, byte[] json) =>
        $"{invocationId}\n" + string.Join("\n", records.Select(r =>
            $"{r.RecordId}|{r.ApproximateArrivalTimestamp}|{r.DataStart}|{r.DataLength}|{(r.Data is null ? "-" : Convert.ToHexString(r.Data))}|{Encoding.UTF8.GetString(json, r.DataStart, r.DataLength)}"));

    private static string? Scan(byte[] json) =>
        RequestScanner.TryRead(json, out var invocationId, out var records) ? Snapshot(invocationId, records, json) : null;

    // The reader's result, or null when it refuses the event.
    private static string? Read(byte[] json)
    {
        try
        {
            var request = FirehoseRequest.ReadWithJsonReader(json, json.Length);
            return Snapshot(request.InvocationId, request.Records, json);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            return null;
        }
    }

    private static byte[] Serialized(KinesisFirehoseEvent request) => JsonSerializer.SerializeToUtf8Bytes(request, FirehoseJson.Relaxed.KinesisFirehoseEvent);

    private static byte[] Text(string json) => Encoding.UTF8.GetBytes(json);

    private static readonly JsonSerializerOptions Indented = new(FirehoseJson.Relaxed.Options) { WriteIndented = true };

    // Every character that may be escaped escaped: '+' in base64 becomes \u002B.
    private static readonly JsonSerializerOptions EveryEscape = new(FirehoseJson.Relaxed.Options) { Encoder = JavaScriptEncoder.Default };

    public static TheoryData<string> FixtureEvents() => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "events"), "*.json").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(FixtureEvents))]
    public void Fixture_events_are_read_by_the_scanner_exactly_as_by_the_json_reader(string file)
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "events", file));

        var scanned = Scan(json);

        Assert.NotNull(scanned);
        Assert.Equal(Read(json), scanned);
    }

    [Fact]
    public void Firehose_shaped_events_are_read_alike_however_they_are_laid_out()
    {
        var request = Pipeline.RealWorkloadEvent();
        var compact = Serialized(request);
        var indented = JsonSerializer.SerializeToUtf8Bytes(request, Indented);
        // As Firehose sends it: its own keys around the records, the records' keys in another order.
        var firehose = Text(
            "{\r\n\t\"invocationId\" : \"inv-1\", \"deliveryStreamArn\":\"arn:aws:firehose:us-east-1:123456789012:deliverystream/audit\",\"region\":\"us-east-1\"," +
            "\"records\":[{\"data\":\"H4sIAAAAAAAA\",\"recordId\":\"49546986683135544286507457936321625675700192471156785154\",\"approximateArrivalTimestamp\":1495072949453}," +
            "{\"recordId\":\"2\",\"approximateArrivalTimestamp\":0,\"data\":\"\",\"extra\":true,\"more\":null,\"count\":12}]}\n");

        foreach (var json in new[] { compact, indented, firehose })
        {
            var scanned = Scan(json);
            Assert.NotNull(scanned);
            Assert.Equal(Read(json), scanned);
        }

        Assert.Equal(request.Records.Count, Scan(compact)!.Split('\n').Length - 1);
    }

    [Theory]
    [InlineData("{\"records\":[]}")]
    [InlineData("{\"invocationId\":\"a\",\"invocationId\":\"b\",\"records\":[{\"recordId\":\"y\",\"recordId\":\"z\",\"data\":\"QQ==\",\"data\":\"Qg==\"}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"approximateArrivalTimestamp\":9223372036854775807}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"approximateArrivalTimestamp\":123456789012345678}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"approximateArrivalTimestamp\":1234567890123456789}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"approximateArrivalTimestamp\":9999999999999999999}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"approximateArrivalTimestamp\":1.5}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"approximateArrivalTimestamp\":\"1\"}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"approximateArrivalTimestamp\":-5}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"approximateArrivalTimestamp\":1e3}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"data\":\"QQ\\u003D\\u003D\"}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"data\":\"a\\/b\"}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"r\\u00e9\",\"data\":\"QQ==\"}]}")]
    [InlineData("{\"invocationId\":null,\"records\":[]}")]
    [InlineData("{\"invocationId\":\"\u00e9t\u00e9\",\"records\":[]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"kinesisRecordMetadata\":{\"shardId\":\"s\",\"sequenceNumber\":\"1\"}}]}")]
    [InlineData("{\"sourceKinesisStreamArn\":\"arn\",\"x\":[1,2],\"records\":[]}")]
    public void Unusual_but_valid_events_read_alike_or_are_left_to_the_json_reader(string text)
    {
        var json = Text(text);

        var read = Read(json);
        var scanned = Scan(json);

        Assert.NotNull(read);
        if (scanned is not null) Assert.Equal(read, scanned);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"invocationId\":\"a\"}")]
    [InlineData("{\"records\":{}}")]
    [InlineData("{\"records\":[1]}")]
    [InlineData("{\"records\":[{\"data\":\"QQ==\"}]}")]
    [InlineData("{\"records\":[{\"recordId\":1}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"data\":5}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\"},]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\"}],}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\"}]} x")]
    [InlineData("{\"records\":[{\"recordId\":\"1\"}]")]
    [InlineData("{\"records\":[{\"recordId\":\"1\" \"data\":\"QQ==\"}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"data\":\"QQ==}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"approximateArrivalTimestamp\":01}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"extra\":tru}]}")]
    [InlineData("{\"records\":[{\"recordId\":\"1\",\"data\":\"tab\there\"}]}")]
    [InlineData("{\"rec\\u006frds\":[]}")]
    [InlineData("{\"records\":[]}\u00a0")]
    public void Anything_but_a_plainly_shaped_event_is_declined(string text)
    {
        Assert.Null(Scan(Text(text)));
    }

    [Fact]
    public void Escaped_data_goes_to_the_json_reader_and_is_transformed_alike()
    {
        var request = Pipeline.RealWorkloadEvent();
        var escaped = JsonSerializer.SerializeToUtf8Bytes(request, EveryEscape);
        Assert.Contains("\\u002B", Encoding.UTF8.GetString(escaped), StringComparison.Ordinal);

        Assert.Null(Scan(escaped));
        var transformer = new BatchTransformer(new TransformerOptions(), TextWriter.Null);
        using var plainOut = new MemoryStream();
        using var escapedOut = new MemoryStream();
        transformer.Transform(new MemoryStream(Serialized(request)), plainOut);
        transformer.Transform(new MemoryStream(escaped), escapedOut);
        Assert.Equal(plainOut.ToArray(), escapedOut.ToArray());
    }

    [Fact]
    public void Mutated_events_read_alike_whenever_the_scanner_accepts_them()
    {
        var request = Pipeline.Event(SubscriptionEnvelopeEvents(), 2);
        var original = Serialized(request);
        var random = new Random(20261201);
        byte[] alphabet = [.. "{}[]:,\" \\0123456789-+.eEtrufalsnQ=/"u8, 0x00, 0x1f, 0x7f, 0xc3, 0xa9];
        int accepted = 0, declined = 0;
        for (var i = 0; i < 3000; i++)
        {
            var bytes = Mutations.Mutate(original, random, alphabet, maxEdits: 3);
            var scanned = Scan(bytes);
            if (scanned is null)
            {
                declined++;
                continue;
            }

            accepted++;
            Assert.Equal(Read(bytes), scanned);
        }

        // Both kinds were seen: mutations the scanner still reads (in data, ids, numbers) and ones it declines.
        Assert.True(accepted > 300, $"{accepted} accepted");
        Assert.True(declined > 300, $"{declined} declined");
    }

    private static IEnumerable<PgAuditFirehose.CloudWatchLogs.SubscriptionEnvelopeWriter.EnvelopeEvent> SubscriptionEnvelopeEvents() =>
        PgAuditFirehose.CloudWatchLogs.SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Take(4);
}
