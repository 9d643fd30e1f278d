using System.Buffers;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Tests.Firehose;

public class OutputBufferTests
{
    [Fact]
    public void Growing_keeps_what_was_written_and_detaching_hands_over_exactly_that()
    {
        var buffer = new OutputBuffer();
        var random = new Random(7);
        var expected = new List<byte>();
        buffer.Start(100);
        while (expected.Count < 1_000_000)
        {
            var chunk = new byte[random.Next(1, 70_000)];
            random.NextBytes(chunk);
            chunk.CopyTo(buffer.GetSpan(chunk.Length));
            buffer.Advance(chunk.Length);
            expected.AddRange(chunk);
        }

        Assert.Equal(expected.Count, buffer.WrittenCount);
        var array = buffer.Detach(out var pooled);
        Assert.True(pooled);
        Assert.Equal(expected, array.AsSpan(0, expected.Count).ToArray());
        Assert.Equal(0, buffer.WrittenCount);

        buffer.Start(10);
        "next"u8.CopyTo(buffer.GetSpan(4));
        buffer.Advance(4);
        Assert.Equal("next"u8.ToArray(), buffer.WrittenSpan.ToArray());
        Assert.Equal(expected.Take(4), array.Take(4));
        ArrayPool<byte>.Shared.Return(array);
    }

    [Fact]
    public void An_output_past_the_pooled_size_gets_an_array_of_its_own_that_is_let_go_of()
    {
        var buffer = new OutputBuffer();
        buffer.Start(OutputBuffer.PooledSize + 1);
        buffer.Advance(OutputBuffer.PooledSize + 1);
        buffer.GetSpan(1);

        var array = buffer.Detach(out var pooled);

        Assert.False(pooled);
        Assert.InRange(array.Length, OutputBuffer.PooledSize + 2, (OutputBuffer.PooledSize + 1) * 3L / 2);
    }

    [Fact]
    public void Advancing_past_the_room_given_is_refused()
    {
        var buffer = new OutputBuffer();
        var room = buffer.GetSpan(10).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(room + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(-1));
    }
}
