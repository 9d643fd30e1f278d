using System.Text;
using PgAuditFirehose.CloudWatchLogs;

namespace PgAuditFirehose.Tests.CloudWatchLogs;

public class LogEntriesTests
{
    private static List<string> Split(string text)
    {
        ReadOnlySpan<byte> rest = Encoding.UTF8.GetBytes(text);
        var entries = new List<string>();
        while (LogEntries.TryTake(ref rest, out var entry)) entries.Add(Encoding.UTF8.GetString(entry));
        return entries;
    }

    [Fact]
    public void Newline_followed_by_tab_continues_the_entry()
    {
        Assert.Equal(["a\n\tb\n\tc", "d"], Split("a\n\tb\n\tc\nd\n"));
    }

    [Fact]
    public void Lone_carriage_return_stays_inside_the_entry()
    {
        Assert.Equal(["x '\r' y", "z"], Split("x '\r' y\nz"));
    }

    [Fact]
    public void Empty_lines_and_crlf_endings_are_ignored()
    {
        Assert.Equal(["a", "b"], Split("\n\na\r\n\nb\r\n"));
    }

    // The rule, a byte at a time: an entry ends at the first newline the next byte is not a tab after.
    private static int ReferenceEnd(byte[] text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)'\n' && (i + 1 == text.Length || text[i + 1] != (byte)'\t')) return i;
        }

        return text.Length;
    }

    // Newlines with and without their tab at every place of the 32- and 16-byte blocks, tabs and newlines
    // side by side, and the text's last byte a newline.
    [Fact]
    public void The_entry_ends_where_the_rule_says_wherever_the_blocks_fall()
    {
        var random = new Random(3);
        var texts = 0;
        for (var length = 0; length <= 100; length++)
        {
            for (var at = 0; at < length; at++)
            {
                foreach (var next in new byte[] { (byte)'\t', (byte)'x', (byte)'\n' })
                {
                    var text = Enumerable.Repeat((byte)'a', length).ToArray();
                    text[at] = (byte)'\n';
                    if (at + 1 < length) text[at + 1] = next;
                    Assert.Equal(ReferenceEnd(text), LogEntries.EntryEnd(text));
                    // The text as the front of more bytes, a tab right after it: what lies past its end is not looked at.
                    var longer = new byte[length + 40];
                    text.CopyTo(longer, 0);
                    longer.AsSpan(length).Fill((byte)'\t');
                    Assert.Equal(ReferenceEnd(text), LogEntries.EntryEnd(longer.AsSpan(0, length)));
                    texts++;
                }
            }

            for (var k = 0; k < 30; k++)
            {
                var text = Enumerable.Range(0, length).Select(_ => "\n\tab"u8[random.Next(4)]).ToArray();
                Assert.Equal(ReferenceEnd(text), LogEntries.EntryEnd(text));
                texts++;
            }
        }

        Assert.True(texts > 10000);
    }
}
