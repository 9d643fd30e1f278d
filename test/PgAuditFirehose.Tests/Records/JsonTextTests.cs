using System.Buffers;
using System.Text;
using System.Text.Json;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Tests.Records;

public class JsonTextTests
{
    // The escaping the fast path must agree with, one byte at a time.
    private static byte[] ReferenceEscape(byte[] source)
    {
        var output = new List<byte>();
        foreach (var b in source)
        {
            switch (b)
            {
                case (byte)'"': output.AddRange("\\\""u8.ToArray()); break;
                case (byte)'\\': output.AddRange("\\\\"u8.ToArray()); break;
                case (byte)'\n': output.AddRange("\\n"u8.ToArray()); break;
                case (byte)'\r': output.AddRange("\\r"u8.ToArray()); break;
                case (byte)'\t': output.AddRange("\\t"u8.ToArray()); break;
                case (byte)'\b': output.AddRange("\\b"u8.ToArray()); break;
                case (byte)'\f': output.AddRange("\\f"u8.ToArray()); break;
                case < 0x20: output.AddRange(System.Text.Encoding.ASCII.GetBytes($"\\u{b:x4}")); break;
                default: output.Add(b); break;
            }
        }

        return [.. output];
    }

    // Texts of every length to 70 with an escape at every position, and some with many.
    private static IEnumerable<byte[]> Texts()
    {
        byte[] specials = [(byte)'"', (byte)'\\', 0x00, (byte)'\n', 0x1f, (byte)'\t'];
        var random = new Random(5);
        for (var length = 0; length <= 70; length++)
        {
            for (var at = 0; at <= length; at++)
            {
                var text = Enumerable.Range(0, length).Select(i => (byte)(i % 2 == 0 ? 'a' : 0xe9)).ToArray();
                if (at < length) text[at] = specials[(length + at) % specials.Length];
                yield return text;
            }

            var dense = new byte[length];
            for (var i = 0; i < length; i++) dense[i] = random.Next(3) == 0 ? specials[random.Next(specials.Length)] : (byte)random.Next(0x20, 0x7f);
            yield return dense;
        }
    }

    [Fact]
    public void Escape_writes_what_a_byte_by_byte_escaper_writes_and_fits_an_exact_destination()
    {
        foreach (var text in Texts())
        {
            var expected = ReferenceEscape(text);
            var roomy = new byte[(6 * text.Length) + 16];
            var exact = new byte[expected.Length];

            Assert.Equal(expected, roomy[..JsonText.Escape(text, roomy)]);
            Assert.Equal(expected.Length, JsonText.Escape(text, exact));
            Assert.Equal(expected, exact);
            if (expected.Length > 0) Assert.ThrowsAny<Exception>(() => JsonText.Escape(text, new byte[expected.Length - 1]));
        }
    }

    [Fact]
    public void Unescape_undoes_escape_up_to_the_closing_quote()
    {
        // \u escapes are the scanner's to undo; this is about everything else.
        foreach (var text in Texts().Where(t => !t.Any(b => b < 0x20 && b is not ((byte)'\n' or (byte)'\t'))))
        {
            byte[] json = [.. ReferenceEscape(text), (byte)'"', (byte)'x', (byte)'\\'];
            var destination = new byte[json.Length];

            var written = JsonText.Unescape(json, destination, out var read);

            Assert.Equal(text, destination[..written]);
            Assert.Equal(json.Length - 3, read);
        }
    }

    // Byte by byte, what Unescape is to do: undo one-letter escapes, stop at a quote, a control
    // character, a \u or bad escape, or a backslash that ends the text.
    private static (byte[] Text, int Read) ReferenceUnescape(byte[] json)
    {
        var text = new List<byte>();
        var i = 0;
        while (i < json.Length && json[i] != (byte)'"' && json[i] >= 0x20)
        {
            if (json[i] != (byte)'\\')
            {
                text.Add(json[i++]);
                continue;
            }

            if (i + 1 == json.Length) break;
            var letter = json[i + 1] switch
            {
                (byte)'"' or (byte)'\\' or (byte)'/' => json[i + 1],
                (byte)'b' => (byte)'\b',
                (byte)'f' => (byte)'\f',
                (byte)'n' => (byte)'\n',
                (byte)'r' => (byte)'\r',
                (byte)'t' => (byte)'\t',
                _ => (byte)0,
            };
            if (letter == 0) break;
            text.Add(letter);
            i += 2;
        }

        return ([.. text], i);
    }

    // Escaped text as a JSON string holds it, built from pieces at random: plain runs of every length
    // (so escapes fall at every place of the 64-, 32- and 16-byte blocks), non-ASCII, every one-letter
    // escape, escaped backslashes side by side, and now and then what stops the unescaping.
    [Fact]
    public void Unescape_does_what_a_byte_by_byte_unescaper_does_wherever_the_escapes_fall()
    {
        string[] escapes = ["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\\"\\\"", "\\n\\t", "\\\\\\\\"];
        string[] stops = ["\"", "\\u0041", "\\x", "\\\u00e9", "\t", "\u0001", "\\"];
        var random = new Random(64);
        var escapesSeen = 0;
        for (var round = 0; round < 4000; round++)
        {
            var json = new StringBuilder(new string('p', random.Next(64)));
            var pieces = random.Next(1, 40);
            for (var k = 0; k < pieces; k++)
            {
                switch (random.Next(8))
                {
                    case 0: json.Append("é日😀"[..random.Next(1, 4)]); break;
                    case 1 or 2: json.Append(new string('a', random.Next(0, 70))); break;
                    default: json.Append(escapes[random.Next(escapes.Length)]); escapesSeen++; break;
                }
            }

            if (random.Next(3) == 0) json.Insert(random.Next(json.Length + 1), stops[random.Next(stops.Length)]);
            var source = System.Text.Encoding.UTF8.GetBytes(json.ToString());
            var (expected, stop) = ReferenceUnescape(source);
            var destination = new byte[source.Length];

            var written = JsonText.Unescape(source, destination, out var read);

            Assert.Equal(stop, read);
            Assert.Equal(expected, destination[..written]);
        }

        Assert.True(escapesSeen > 40_000, $"{escapesSeen} escapes");
    }

    [Theory]
    [InlineData("ab\\u0041", 2, "ab")]
    [InlineData("ab\\x", 2, "ab")]
    [InlineData("ab\\", 2, "ab")]
    [InlineData("ab\tc", 2, "ab")]
    [InlineData("a\\nb\\\"", 6, "a\nb\"")]
    [InlineData("0123456789abcdef0123\\u0041", 20, "0123456789abcdef0123")]
    public void Unescape_stops_at_what_it_cannot_settle_alone(string json, int stop, string expected)
    {
        var source = System.Text.Encoding.UTF8.GetBytes(json);
        var destination = new byte[source.Length];

        var written = JsonText.Unescape(source, destination, out var read);

        Assert.Equal(stop, read);
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(destination, 0, written));
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
