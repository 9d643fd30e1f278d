using System.Text;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Tests.PgAudit;

public class AuditCsvTests
{
    // The reading the fast path must agree with, one byte at a time: (read, value, position after).
    private static List<(bool Ok, string? Value, int Position)> ReferenceRead(byte[] text, bool removeTabs)
    {
        var fields = new List<(bool, string?, int)>();
        var position = 0;
        while (position >= 0)
        {
            if (position == text.Length || text[position] != (byte)'"')
            {
                var comma = Array.IndexOf(text, (byte)',', position);
                var end = comma < 0 ? text.Length : comma;
                fields.Add((true, Encoding.Latin1.GetString(text, position, end - position), comma < 0 ? -1 : comma + 1));
                position = comma < 0 ? -1 : comma + 1;
                continue;
            }

            var value = new List<byte>();
            var i = position + 1;
            while (true)
            {
                if (i == text.Length)
                {
                    fields.Add((false, null, position));
                    return fields;
                }

                if (text[i] == (byte)'"' && i + 1 < text.Length && text[i + 1] == (byte)'"') { value.Add((byte)'"'); i += 2; continue; }
                if (text[i] == (byte)'"') break;
                value.Add(text[i]);
                i += text[i] == (byte)'\n' && removeTabs && i + 1 < text.Length && text[i + 1] == (byte)'\t' ? 2 : 1;
            }

            var after = i + 1;
            if (after < text.Length && text[after] != (byte)',')
            {
                fields.Add((false, null, position));
                return fields;
            }

            position = after == text.Length ? -1 : after + 1;
            fields.Add((true, Encoding.Latin1.GetString([.. value]), position));
        }

        return fields;
    }

    private static List<(bool Ok, string? Value, int Position)> Read(byte[] text, bool removeTabs, int scratchLength)
    {
        var fields = new List<(bool, string?, int)>();
        var scratch = new byte[scratchLength];
        var used = 0;
        var position = 0;
        while (position >= 0)
        {
            var before = position;
            if (!AuditCsv.TryReadField(text, ref position, scratch, ref used, removeTabs, out var value))
            {
                fields.Add((false, null, before));
                return fields;
            }

            fields.Add((true, Encoding.Latin1.GetString(value), position));
        }

        return fields;
    }

    // Lines of quoted and plain fields whose quotes, newlines and tabs fall on every side of the
    // 16-byte blocks, and broken ones: unterminated, text after the closing quote.
    private static IEnumerable<byte[]> Lines()
    {
        var random = new Random(11);
        byte[] alphabet = [(byte)'a', (byte)'"', (byte)'\n', (byte)'\t', (byte)',', 0xe9, (byte)'x'];
        for (var length = 0; length <= 60; length++)
        {
            for (var at = 0; at <= length; at++)
            {
                foreach (var special in "\"\n,"u8.ToArray())
                {
                    var value = Enumerable.Repeat((byte)'v', length).ToArray();
                    if (at < length) value[at] = special;
                    yield return [.. "SESSION,1,"u8, .. Quote(value), .. ",<none>"u8];
                    yield return [.. Quote(value), .. "\"x"u8];
                    // Unquoted, the comma at every place of a last field (short ones are looked at as words).
                    if (special == (byte)',') yield return value;
                }
            }

            for (var k = 0; k < 20; k++)
            {
                var line = new List<byte>();
                var fieldCount = random.Next(1, 6);
                for (var f = 0; f < fieldCount; f++)
                {
                    if (f > 0) line.Add((byte)',');
                    var value = Enumerable.Range(0, random.Next(length + 1)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
                    line.AddRange(random.Next(4) == 0 ? value : Quote(value));
                }

                if (random.Next(10) == 0 && line.Count > 0) line.RemoveAt(random.Next(line.Count));
                yield return [.. line];
            }
        }
    }

    private static byte[] Quote(byte[] value)
    {
        var quoted = new List<byte> { (byte)'"' };
        foreach (var b in value)
        {
            quoted.Add(b);
            if (b == (byte)'"') quoted.Add(b);
            if (b == (byte)'\n') quoted.Add((byte)'\t');
        }

        quoted.Add((byte)'"');
        return [.. quoted];
    }

    [Fact]
    public void Fields_read_as_a_byte_by_byte_reader_reads_them_with_room_and_without()
    {
        var lines = 0;
        foreach (var line in Lines())
        {
            foreach (var removeTabs in new[] { true, false })
            {
                var expected = ReferenceRead(line, removeTabs);
                Assert.Equal(expected, Read(line, removeTabs, scratchLength: 2 * line.Length + 16));
                // Just the room the values take: then the reader cannot copy blocks ahead and goes the slow way.
                var tight = expected.Sum(f => f.Ok ? f.Value!.Length : line.Length - f.Position);
                Assert.Equal(expected, Read(line, removeTabs, tight));
            }

            lines++;
        }

        Assert.True(lines > 5000);
    }

    [Fact]
    public void A_quoted_field_loses_its_doubled_quotes_and_continuation_tabs()
    {
        var line = "\"select 1,\n\t\"\"a\"\" from t where x = 'long enough to span blocks'\",<none>"u8.ToArray();
        var fields = Read(line, removeTabs: true, scratchLength: 256);

        Assert.Equal((true, "select 1,\n\"a\" from t where x = 'long enough to span blocks'", line.Length - 6), fields[0]);
        Assert.Equal((true, "<none>", -1), fields[1]);
    }
}
