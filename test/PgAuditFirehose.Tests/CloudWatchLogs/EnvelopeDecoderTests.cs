using System.IO.Compression;
using System.Text;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.CloudWatchLogs;

public class EnvelopeDecoderTests
{
    private static readonly SubscriptionEnvelopeWriter.EnvelopeEvent[] Events =
        [.. SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Take(30)];

    private static byte[] Envelope() =>
        SubscriptionEnvelopeWriter.DataMessage("123456789012", "/aws/rds/cluster/prod-db/postgresql", "prod-db-instance-1.0", Events);

    private static (string? Error, LogEnvelope Envelope) Decode(byte[] data, int maxInflated = 1 << 20)
    {
        var envelope = new LogEnvelope();
        var error = new EnvelopeDecoder(maxInflated).Decode(data, data.Length, envelope);
        return (error, envelope);
    }

    [Fact]
    public void Gzip_envelope_gives_metadata_and_every_event_unescaped()
    {
        var (error, envelope) = Decode(SubscriptionEnvelopeWriter.Gzip(Envelope()));

        Assert.Null(error);
        Assert.Equal(RecordShape.GzipEnvelope, envelope.Shape);
        Assert.Equal("DATA_MESSAGE", envelope.MessageType);
        Assert.Equal("123456789012", envelope.Owner);
        Assert.Equal("/aws/rds/cluster/prod-db/postgresql", envelope.LogGroup);
        Assert.Equal("prod-db-instance-1.0", envelope.LogStream);
        Assert.Equal(Events.Select(e => e.Message), envelope.Events.ToArray().Select(e => Encoding.UTF8.GetString(envelope.Message(e))));
        Assert.Equal(Events.Select(e => e.Id), envelope.Events.ToArray().Select(e => Encoding.UTF8.GetString(envelope.Id(e))));
        Assert.Equal(Events.Select(e => (long?)e.Timestamp), envelope.Events.ToArray().Select(e => e.Timestamp));
    }

    [Fact]
    public void Plain_json_envelope_is_read_as_is()
    {
        var (error, envelope) = Decode(Envelope());

        Assert.Null(error);
        Assert.Equal(RecordShape.JsonEnvelope, envelope.Shape);
        Assert.Equal(Events.Length, envelope.Events.Length);
    }

    [Fact]
    public void Message_text_without_envelope_is_raw_text()
    {
        var text = string.Join("\n", Events.Select(e => e.Message)) + "\n";
        var (error, envelope) = Decode(Encoding.UTF8.GetBytes(text));

        Assert.Null(error);
        Assert.Equal(RecordShape.RawText, envelope.Shape);
        Assert.Null(envelope.LogGroup);
        Assert.Equal(text, Encoding.UTF8.GetString(envelope.Message(Assert.Single(envelope.Events.ToArray()))));
    }

    [Fact]
    public void Control_message_is_recognised()
    {
        var (error, envelope) = Decode(SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.ControlMessage(1648216304378)));

        Assert.Null(error);
        Assert.True(envelope.IsControlMessage);
    }

    [Fact]
    public void Escaped_unicode_and_raw_utf8_decode_alike()
    {
        var escaped = Encoding.UTF8.GetBytes("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,\"message\":\"\\u65e5\\u672c \\\"q\\\" \\n\\tx\"}]}");
        var raw = Encoding.UTF8.GetBytes("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,\"message\":\"日本 \\\"q\\\" \\n\\tx\"}]}");

        var (_, a) = Decode(escaped);
        var msgA = Encoding.UTF8.GetString(a.Message(a.Events[0]));
        var (_, b) = Decode(raw);
        var msgB = Encoding.UTF8.GetString(b.Message(b.Events[0]));

        Assert.Equal("日本 \"q\" \n\tx", msgA);
        Assert.Equal(msgA, msgB);
    }

    [Fact]
    public void Inflation_past_the_cap_fails_the_record()
    {
        var bomb = SubscriptionEnvelopeWriter.Gzip(new byte[4 << 20]);
        var (error, _) = Decode(bomb, maxInflated: 1 << 20);

        Assert.Contains("more than the cap of 1048576 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_exactly_at_the_cap_is_accepted()
    {
        var json = Envelope();
        var (error, _) = Decode(SubscriptionEnvelopeWriter.Gzip(json), maxInflated: json.Length);

        Assert.Null(error);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(200)]
    public void Truncated_gzip_is_reported(int cut)
    {
        var gzip = SubscriptionEnvelopeWriter.Gzip(Envelope());
        var (error, _) = Decode(gzip[..^cut]);

        Assert.Contains("truncated", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_gzip_is_reported()
    {
        var gzip = SubscriptionEnvelopeWriter.Gzip(Envelope());
        gzip[gzip.Length / 2] ^= 0x5a;
        gzip[(gzip.Length / 2) + 1] ^= 0xa5;
        var (error, _) = Decode(gzip);

        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",", "not valid JSON")]
    [InlineData("{\"hello\":\"world\"}", "no messageType")]
    [InlineData("{\"messageType\":\"SURPRISE\",\"logEvents\":[]}", "'SURPRISE'")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\"}", "no logEvents")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":1}]}", "log event 0 has no message")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":5}]}", "not a string")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[]} trailing", "not valid JSON")]
    [InlineData("[1,2]", "not a CloudWatch Logs envelope")]
    public void Json_that_is_not_an_envelope_is_reported(string json, string reason)
    {
        var data = Encoding.UTF8.GetBytes(json);
        var (error, _) = Decode(data[0] == '[' ? SubscriptionEnvelopeWriter.Gzip(data) : data);

        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_text_is_reported_with_its_offset()
    {
        var (error, _) = Decode([(byte)'a', (byte)'b', 0xff, 0xfe]);

        Assert.Contains("not valid UTF-8 (first bad byte at offset 2)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Invalid_utf8_inside_an_envelope_message_is_reported(bool escaped)
    {
        byte[] json = [.. "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":\"ab"u8, .. (escaped ? "\\n"u8 : ""u8), 0xff, .. "\"}]}"u8];
        var (error, _) = Decode(json);

        Assert.Equal("log event 0 has a message that is not valid UTF-8", error);
    }

    [Fact]
    public void Empty_data_is_reported()
    {
        var (error, _) = Decode([]);

        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_member_gzip_is_not_mistaken_for_a_valid_single_envelope()
    {
        var json = Envelope();
        var half = json.Length / 2;
        var twoMembers = SubscriptionEnvelopeWriter.Gzip(json[..half]).Concat(GzipRaw(json[half..])).ToArray();
        var (error, _) = Decode(twoMembers);

        Assert.Contains("truncated", error, StringComparison.Ordinal);
    }

    private static byte[] GzipRaw(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }
}
