using System.Text;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Tests.PgAudit;

public class PrefixShapesTests
{
    // The shape one byte at a time, as the vector check must read it.
    private static bool ReferenceIsDateTime(byte[] t) =>
        t.Length == 19 && t.Select((b, i) => "0000-00-00 00:00:00"[i] == '0' ? char.IsAsciiDigit((char)b) : b == "0000-00-00 00:00:00"[i]).All(ok => ok);

    [Fact]
    public void Date_time_shape_is_checked_at_every_position_for_every_byte()
    {
        var valid = Encoding.ASCII.GetBytes("2026-11-25 10:39:38");
        Assert.True(PrefixShapes.IsDateTime(valid));
        for (var position = 0; position < valid.Length; position++)
        {
            for (var b = 0; b < 256; b++)
            {
                var text = (byte[])valid.Clone();
                text[position] = (byte)b;
                Assert.True(ReferenceIsDateTime(text) == PrefixShapes.IsDateTime(text), $"byte {b} at {position}");
            }
        }
    }

    // UTC is settled without the zone loop: it must measure what the loop measures, whatever follows it.
    [Theory]
    [InlineData("UTC")]
    [InlineData("UT")]
    [InlineData("UTCX")]
    [InlineData("CET")]
    [InlineData("+03")]
    public void A_timestamp_measures_its_zone_alike_whatever_byte_follows(string zone)
    {
        for (var b = 0; b < 256; b++)
        {
            byte[] text = [.. Encoding.ASCII.GetBytes("2026-11-25 10:39:38 " + zone), (byte)b, (byte)':'];
            var zoneChars = zone.Length + (char.IsAsciiLetterOrDigit((char)b) || b is '+' or '-' ? 1 : 0);

            Assert.True(20 + zoneChars == PrefixShapes.MeasureTimestamp(text, millis: false), $"{zone} then byte {b}");
        }
    }

    [Fact]
    public void Host_characters_are_the_letters_digits_and_the_five_signs_for_every_byte()
    {
        for (var b = 0; b < 256; b++)
        {
            var expected = char.IsAsciiLetterOrDigit((char)b) || b is '.' or ':' or '-' or '_' or '%';
            byte[] host = [(byte)'h', (byte)b, (byte)'1'];
            Assert.True(expected == PrefixShapes.IsHost(host), $"byte {b}");
            Assert.Equal(expected ? 3 : 1, PrefixShapes.MaxHostLength(PrefixEscape.RemoteHost, host));
        }
    }

    [Theory]
    [InlineData("2026-11-25 10:39:3")]
    [InlineData("2026-11-25 10:39:38 ")]
    [InlineData("")]
    public void Date_time_of_another_length_is_not_one(string text)
    {
        Assert.False(PrefixShapes.IsDateTime(Encoding.ASCII.GetBytes(text)));
    }
}
