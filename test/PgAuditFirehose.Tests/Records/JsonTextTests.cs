using System.Buffers;
using System.Text.Json;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Tests.Records;

public class JsonTextTests
{
    [Fact]
    public void CopyPlain_stops_at_the_first_byte_json_escapes_wherever_it_is()
    {
        byte[] specials = [(byte)'"', (byte)'\\', 0x00, (byte)'\n', 0x1f];
        for (var length = 0; length <= 70; length++)
        {
            for (var at = 0; at <= length; at++)
            {
                var source = Enumerable.Range(0, length).Select(i => (byte)(i % 2 == 0 ? 'a' : 0xe9)).ToArray();
                if (at < length) source[at] = specials[(length + at) % specials.Length];
                var destination = Enumerable.Repeat((byte)0xaa, length + 32).ToArray();

                var copied = JsonText.CopyPlain(source, destination);

                Assert.Equal(at, copied);
                Assert.Equal(source[..at], destination[..at]);
                // Blocks are copied whole, but never past the source's length.
                Assert.All(destination[length..], b => Assert.Equal(0xaa, b));
            }
        }
    }

    [Fact]
    public void CopyPlain_wants_room_for_the_whole_source()
    {
        Assert.Throws<ArgumentException>(() => JsonText.CopyPlain(new byte[20], new byte[19]));
    }

    [Fact]
    public void Every_byte_value_round_trips_through_a_json_reader_and_the_length_is_counted_exactly()
    {
        // Valid UTF-8 with every ASCII byte, multi-byte characters, and escapes side by side and far apart.
        var text = string.Concat(Enumerable.Range(0, 0x80).Select(c => (char)c)) + "é日本😀" + new string('x', 40) + "\"\\\n" + new string('y', 17) + "\t";
        var value = System.Text.Encoding.UTF8.GetBytes(text);
        var output = new ArrayBufferWriter<byte>();

        JsonText.WriteString(output, value);

        Assert.Equal(text, JsonSerializer.Deserialize<string>(output.WrittenSpan));
        Assert.Equal(output.WrittenCount - 2, JsonText.EscapedLength(value));
    }
}
