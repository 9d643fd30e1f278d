using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.CloudWatchLogs;

/// <summary>
/// The fast envelope scanner against Utf8JsonReader on the same bytes: it reads what CloudWatch Logs
/// writes, declines what is malformed, and whatever it accepts, it reads exactly as the reader does.
/// </summary>
public class EnvelopeScannerTests
{
    private static readonly SubscriptionEnvelopeWriter.EnvelopeEvent[] RealEvents =
        [.. SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Take(120)];

    private sealed record Snapshot(string? MessageType, string? Owner, string? LogGroup, string? LogStream, string Events);

    private static Snapshot Take(LogEnvelope e) => new(
        e.MessageType, e.Owner, e.LogGroup, e.LogStream,
        string.Join("\n", e.Events.ToArray().Select(x => $"{Convert.ToHexString(e.Id(x))}|{x.Timestamp}|{Convert.ToHexString(e.Message(x))}|{x.IdPlain}|{x.MessagePlain}")));

    private static Snapshot? Scan(byte[] json)
    {
        var envelope = new LogEnvelope();
        return EnvelopeScanner.TryRead(json, json.Length, envelope, out _) ? Take(envelope) : null;
    }

    private static (string? Error, Snapshot Envelope) Read(byte[] json)
    {
        var envelope = new LogEnvelope();
        var error = EnvelopeDecoder.ReadWithJsonReader(json, envelope);
        return (error, Take(envelope));
    }

    private static byte[] Envelope(IEnumerable<SubscriptionEnvelopeWriter.EnvelopeEvent> events) =>
        SubscriptionEnvelopeWriter.DataMessage("123456789012", "/aws/rds/cluster/prod-db/postgresql", "prod-db-instance-1.0", events);

    // The same envelope, every character that may be escaped escaped (Utf8JsonWriter's default), and indented.
    private static byte[] Reencoded(byte[] json, bool indented)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.Default })) document.WriteTo(writer);
        return buffer.ToArray();
    }

    [Theory]
    [InlineData("as CloudWatch Logs writes it")]
    [InlineData("with every escape JSON allows")]
    [InlineData("indented")]
    public void Real_envelopes_are_read_by_the_scanner_exactly_as_by_the_json_reader(string form)
    {
        var json = Envelope(RealEvents);
        if (form != "as CloudWatch Logs writes it") json = Reencoded(json, indented: form == "indented");

        var scanned = Scan(json);
        var (error, read) = Read(json);

        Assert.Null(error);
        Assert.NotNull(scanned);
        Assert.Equal(read, scanned);
        Assert.Equal(RealEvents.Length, read.Events.Split('\n').Length);
    }

    [Fact]
    public void Every_character_and_escape_form_decodes_alike()
    {
        var every = string.Concat(Enumerable.Range(0, 0x80).Select(c => (char)c)) + "é日本語 😀 \u2028\u2029 \uFEFF";
        var events = new SubscriptionEnvelopeWriter.EnvelopeEvent[] { new("1", 1, every), new("2", 2, "\"quoted\" and \\back\\slashed\\") };
        var relaxed = Envelope(events);
        var handWritten = Encoding.UTF8.GetBytes(
            "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"\\u0031\",\"timestamp\":-0,\"message\":\"a\\/b \\u00e9\\u00C9 \\ud83d\\ude00 \\b\\f\\n\\r\\t \\\"\\\\\"}]}");

        foreach (var json in new[] { relaxed, Reencoded(relaxed, indented: false), handWritten })
        {
            var (error, read) = Read(json);
            Assert.Null(error);
            Assert.Equal(read, Scan(json));
        }

        var envelope = new LogEnvelope();
        Assert.True(EnvelopeScanner.TryRead(relaxed, relaxed.Length, envelope, out _));
        Assert.Equal(every, Encoding.UTF8.GetString(envelope.Message(envelope.Events[0])));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("1700000000000")]
    [InlineData("123456789012345678")]
    [InlineData("1234567890123456789")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999")]
    [InlineData("-1700000000000")]
    [InlineData("-0")]
    [InlineData("1e3")]
    [InlineData("1E+3")]
    [InlineData("17.0")]
    [InlineData("00")]
    [InlineData("0.5")]
    [InlineData(" 42 ")]
    public void Timestamps_of_every_number_shape_read_alike_or_are_declined(string timestamp)
    {
        var json = Encoding.UTF8.GetBytes("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":" + timestamp + ",\"message\":\"m\"}]}");
        var (error, read) = Read(json);
        var scanned = Scan(json);

        // Whatever the scanner accepts reads as the reader reads it; plain integers that fit it must accept.
        if (scanned is not null) Assert.Equal(read, scanned);
        if (long.TryParse(timestamp.Trim(), out _) && !timestamp.Trim().StartsWith('-') && !timestamp.Trim().StartsWith("00", StringComparison.Ordinal))
        {
            Assert.Null(error);
            Assert.NotNull(scanned);
        }
    }

    [Theory]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"lone \\ud83d surrogate\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"lone \\ude00 low half\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"raw \t tab\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"bad \\x escape\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"short \\u12\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"m\"},]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":01,\"message\":\"m\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":1.5,\"message\":\"m\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":null,\"message\":\"m\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":1,\"message\":\"m\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"m\"}]} x")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"unterminated}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\" \"message\":\"m\"}]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"extra\":tru,\"logEvents\":[]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"extra\":-,\"logEvents\":[]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"extra\":1e,\"logEvents\":[]}")]
    [InlineData("{\"messageType\":5,\"logEvents\":[]}")]
    [InlineData("{\"message\\u0054ype\":\"DATA_MESSAGE\",\"logEvents\":[]}")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[]")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[1]}")]
    public void Anything_but_plain_valid_json_is_left_to_the_json_reader(string text)
    {
        var json = Encoding.UTF8.GetBytes(text);

        Assert.Null(Scan(json));
    }

    [Fact]
    public void Deep_nesting_and_invalid_utf8_are_declined()
    {
        var deep = "{\"messageType\":\"DATA_MESSAGE\",\"x\":" + new string('[', 40) + new string(']', 40) + ",\"logEvents\":[]}";
        byte[] invalid = [.. "{\"messageType\":\"DATA_MESSAGE\",\"x\":\""u8, 0xc3, .. "\",\"logEvents\":[]}"u8];

        Assert.Null(Scan(Encoding.UTF8.GetBytes(deep)));
        Assert.Null(Scan(invalid));
        Assert.Null(Read(Encoding.UTF8.GetBytes(deep)).Error);
    }

    [Fact]
    public void Unknown_fields_of_every_json_type_are_skipped()
    {
        var json = Encoding.UTF8.GetBytes(
            "{ \"a\" : { \"b\" : [ 1 , -2.5e+3 , true , false , null , \"s\\\"\" , { } , [ ] ] } , \"messageType\" : \"DATA_MESSAGE\" , " +
            "\"logEvents\" : [ { \"x\" : [0.1E-2] , \"id\" : \"7\" , \"timestamp\" : 9223372036854775807 , \"message\" : \"m\" } ] , \"owner\" : null }\r\n");

        var scanned = Scan(json);

        Assert.NotNull(scanned);
        Assert.Equal(Read(json), (null, scanned));
        Assert.Null(scanned.Owner);
    }

    [Theory]
    [InlineData("{\"id\":\"7\",\"timestamp\":5,\"extra\":1,\"message\":\"m\"}")]
    [InlineData("{\"id\":\"7\",\"timestamp\":5,\"message\":\"m\",\"extra\":\"x\"}")]
    [InlineData("{\"id\":\"7\",\"timestamp\":5,\"message\":\"m\" }")]
    [InlineData("{\"id\":\"7\", \"timestamp\":5,\"message\":\"m\"}")]
    [InlineData("{\"id\":\"\\u0037\",\"timestamp\":5,\"extra\":1,\"message\":\"m\\\"q\\\"\"}")]
    [InlineData("{\"id\":\"7\\/8\",\"timestamp\":5,\"message\":\"a\\nb\" }")]
    [InlineData("{\"id\":\"\\u0037\",\"timestamp\":5,\"extra\":1,\"message\":\"m\"}")]
    public void An_event_that_leaves_the_usual_layout_half_way_is_read_whole_and_keeps_no_text_twice(string logEvent)
    {
        var json = Encoding.UTF8.GetBytes($"{{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{logEvent},{logEvent}]}}");
        var envelope = new LogEnvelope();

        Assert.True(EnvelopeScanner.TryRead(json, json.Length, envelope, out _));
        Assert.Equal(Read(json), (null, Take(envelope)));
        // Text without escapes is read where it is in the JSON; the buffer holds each unescaped one once.
        int all = 0, buffered = 0;
        foreach (var e in envelope.Events)
        {
            all += envelope.Id(e).Length + envelope.Message(e).Length;
            if (!e.IdInJson) buffered += envelope.Id(e).Length;
            if (!e.MessageInJson) buffered += envelope.Message(e).Length;
            Assert.Equal(e.IdPlain, e.IdInJson);
            Assert.Equal(e.MessagePlain, e.MessageInJson);
        }

        Assert.Equal(all, envelope.TextLength);
        Assert.Equal(buffered, envelope.BufferedLength);
    }

    // Timestamps are read 16 bytes a look, eight digits at a time: every length, with what may follow.
    [Fact]
    public void Timestamps_of_every_length_read_as_the_json_reader_reads_them_and_keep_their_digits()
    {
        var random = new Random(7);
        var values = new List<string> { "0", "7", "10", "01", "00", "-5", "-0", "1.5", "1e3", "1E+3", "9223372036854775807", "9223372036854775808" };
        for (var length = 1; length <= 20; length++)
        {
            values.Add(new string('9', length));
            values.Add("1" + new string('0', length - 1));
            values.Add(string.Concat(Enumerable.Range(0, length).Select(i => (char)('0' + (i == 0 ? random.Next(1, 10) : random.Next(10))))));
        }

        var kept = 0;
        foreach (var value in values)
        {
            // After the timestamp: the message, as CloudWatch Logs writes it; the end of the text, soon; odd white space.
            foreach (var logEvent in new[] { $"{{\"id\":\"1\",\"timestamp\":{value},\"message\":\"m\"}}", $"{{\"id\":\"1\",\"message\":\"m\",\"timestamp\":{value}}}", $"{{\"id\":\"1\",\"timestamp\":{value} ,\"message\":\"m\"}}" })
            {
                var json = Encoding.UTF8.GetBytes("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[" + logEvent + "]}");
                var envelope = new LogEnvelope();
                var scanned = EnvelopeScanner.TryRead(json, json.Length, envelope, out _) ? Take(envelope) : null;
                var (error, read) = Read(json);
                var canonical = value.All(char.IsAsciiDigit) && (value.Length == 1 || value[0] != '0') && value.Length <= 18;
                if (canonical) Assert.NotNull(scanned);
                if (scanned is null) continue;
                Assert.Equal((error, read), (null, scanned));
                var text = envelope.TimestampText(envelope.Event(0));
                if (!text.IsEmpty)
                {
                    Assert.Equal(value, Encoding.ASCII.GetString(text));
                    Assert.Equal(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture), envelope.Event(0).Timestamp);
                    kept++;
                }
            }
        }

        Assert.True(kept > 50, $"digits kept for {kept} timestamps");
    }

    [Fact]
    public void Mutated_envelopes_never_make_the_scanner_and_the_reader_disagree()
    {
        var events = RealEvents.Take(6).Append(new("9", 9, "é \"q\" \\ 😀 \n\ttab")).ToArray();
        var original = Envelope(events);
        var random = new Random(20261125);
        var accepted = 0;
        var declined = 0;
        byte[] alphabet = [.. "{}[]:,\"\\ .-+eE0u19afnt\n\t"u8, 0x00, 0x1f, 0x7f, 0x80, 0xc3, 0xa9, 0xff];
        for (var i = 0; i < 3000; i++)
        {
            var json = Mutations.Mutate(original, random, alphabet, maxEdits: 2);
            var scanned = Scan(json);
            if (scanned is null)
            {
                declined++;
                continue;
            }

            accepted++;
            var envelope = new LogEnvelope();
            EnvelopeScanner.TryRead(json, json.Length, envelope, out var sawEvents);
            var (error, read) = Read(json);
            Assert.Equal(error, EnvelopeDecoder.Check(envelope, sawEvents));
            Assert.Equal(read, scanned);
        }

        // Both outcomes must really happen for the comparison to mean anything.
        Assert.InRange(accepted, 100, 2900);
        Assert.InRange(declined, 100, 2900);
    }

    [Theory]
    [InlineData("{\"id\":\"1\",\"timestamp\":1,\"message\":\"plain text, 'quoted' = ok\"}", true, true)]
    [InlineData("{\"id\":\"1\",\"timestamp\":1,\"message\":\"a \\\"quote\\\"\"}", true, false)]
    [InlineData("{\"id\":\"1\",\"timestamp\":1,\"message\":\"a\\nnewline\"}", true, false)]
    [InlineData("{\"id\":\"1\",\"timestamp\":1,\"message\":\"\\u0041\"}", true, false)]
    [InlineData("{\"id\":\"\\u0031\",\"timestamp\":1,\"message\":\"m\"}", false, true)]
    [InlineData("{\"message\":\"\",\"id\":\"\"}", true, true)]
    public void An_id_or_message_written_without_escapes_is_marked_plain_by_scanner_and_reader_alike(string logEvent, bool idPlain, bool messagePlain)
    {
        var json = Encoding.UTF8.GetBytes("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[" + logEvent + "]}");

        foreach (var read in new Func<LogEnvelope, bool>[] { e => EnvelopeScanner.TryRead(json, json.Length, e, out _), e => EnvelopeDecoder.ReadWithJsonReader(json, e) is null })
        {
            var envelope = new LogEnvelope();
            Assert.True(read(envelope));
            var only = Assert.Single(envelope.Events.ToArray());
            Assert.Equal((idPlain, messagePlain), (only.IdPlain, only.MessagePlain));
        }
    }
}
