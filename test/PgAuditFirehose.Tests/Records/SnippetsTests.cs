using PgAuditFirehose.Records;

namespace PgAuditFirehose.Tests.Records;

public class SnippetsTests
{
    private static readonly byte[][] Texts = ["{\"a\":"u8.ToArray(), ",\"a_key_name_of_exactly_32_byt\":"u8.ToArray(), [], ",\"b\":null"u8.ToArray()];

    [Fact]
    public void Snippets_write_their_text_whether_or_not_a_whole_slot_fits()
    {
        var snippets = new Snippets(Texts);
        Assert.Equal(32, Texts[1].Length);

        for (var room = 0; room < 200; room++)
        {
            var buffer = new byte[room];
            var expected = new List<byte>();
            var written = 0;
            for (var i = 0; ; i = (i + 1) % Texts.Length)
            {
                if (written + snippets.Length(i) > room) break;
                written = snippets.Put(buffer, written, i);
                expected.AddRange(Texts[i]);
            }

            Assert.Equal(expected, buffer[..written]);
        }
    }

    [Fact]
    public void Writing_past_the_end_fails_loudly()
    {
        var snippets = new Snippets(Texts);
        var tooShort = new byte[Texts[1].Length - 1];

        Assert.ThrowsAny<ArgumentException>(() => snippets.Put(tooShort, 0, 1));
        Assert.ThrowsAny<ArgumentException>(() => snippets.Put(new byte[40], 41, 0));
    }

    [Fact]
    public void A_text_longer_than_a_slot_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new Snippets([new byte[Snippets.SlotLength + 1]]));
    }
}
