using PgAuditFirehose.Records;

namespace PgAuditFirehose.Tests.Records;

public class SpanWriterTests
{
    private static readonly byte[][] Texts = ["{\"a\":"u8.ToArray(), ",\"a_much_longer_key_name_than_16\":"u8.ToArray(), [], ",\"b\":null"u8.ToArray()];

    [Fact]
    public void Snippets_write_their_text_whether_or_not_a_whole_slot_fits()
    {
        var snippets = new Snippets(Texts);
        Assert.Equal(48, snippets.SlotLength);

        for (var room = 0; room < 200; room++)
        {
            var buffer = new byte[room];
            var expected = new List<byte>();
            var writer = new SpanWriter(buffer);
            for (var i = 0; ; i = (i + 1) % Texts.Length)
            {
                if (writer.Written + snippets.Length(i) > room) break;
                snippets.Put(ref writer, i);
                expected.AddRange(Texts[i]);
            }

            Assert.Equal(expected, buffer[..writer.Written]);
        }
    }

    [Fact]
    public void Writing_past_the_end_fails_loudly()
    {
        var snippets = new Snippets(Texts);
        var tooShort = new byte[Texts[1].Length - 1];

        Assert.ThrowsAny<ArgumentException>(() =>
        {
            var writer = new SpanWriter(tooShort);
            snippets.Put(ref writer, 1);
        });
    }
}
