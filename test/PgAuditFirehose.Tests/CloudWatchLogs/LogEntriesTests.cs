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
}
