using System.Text;
using PgAuditFirehose.PgAudit;
using Xunit.Abstractions;

namespace PgAuditFirehose.Tests.PgAudit;

/// <summary>
/// The prefix matcher's work on a head grows at most linearly with the head, for every
/// <c>log_line_prefix</c> it accepts, however the head repeats the prefix's separators: counted in
/// steps (bytes searched for a free-text field's end, ends tried), never timed. A head longer than
/// the prefix can produce costs none.
/// </summary>
public class PrefixMatchingWorkTests(ITestOutputHelper output)
{
    // The widest search any prefix here has: the bound per byte is the prefix's own, and never near a head's length.
    private const int WidestBound = 16_000;

    private static readonly int[] Repeats = [1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 100_000];

    public static TheoryData<string, string, string, string> HostileHeads() => new()
    {
        // The issue's case: '@' and ':[' are where the user and the database may end.
        { LogLinePrefix.RdsDefault, "2024-05-01 12:00:00 UTC:10.0.0.1(5432):", "@:[", "" },
        { LogLinePrefix.RdsDefault, "2024-05-01 12:00:00 UTC:10.0.0.1(5432):", "@:[", "1]:" },
        { LogLinePrefix.RdsDefault, "2024-05-01 12:00:00 UTC:", "1:@", ":[1]:" },
        { "%m [%p] %q%u@%d %a ", "2024-05-01 12:00:00.123 UTC [12] ", "@ ", "x" },
        { "%u:%d:%a:%h:%i:", "", "a:", "x" },
        { "%u:%d:%a:%h:%i:", "", ":", "(" },
        { "%-20u|%-20d|%a|%p|", "", "|", "x" },
        { "%-30h:%15r:%u:", "", ": ", "x" },
        { "%h:%r:%h:%r:", "", "1:", "x" },
        { "%t [%p]: user=%u,db=%d,app=%a,client=%h ", "2024-05-01 12:00:00 UTC [7]: ", "user=,db=,app=,client=", "x" },
    };

    [Theory]
    [MemberData(nameof(HostileHeads))]
    public void Work_per_head_byte_stays_bounded_however_often_the_separators_repeat(string format, string start, string unit, string end)
    {
        var prefix = LogLinePrefix.Parse(format);
        var bound = prefix.StepsPerHeadByte;
        Assert.InRange(bound, 1, WidestBound);
        foreach (var n in Repeats)
        {
            var head = Encoding.UTF8.GetBytes(start + string.Concat(Enumerable.Repeat(unit, n)) + end);
            var fields = default(PrefixFields);
            prefix.TryMatch(head, ref fields);
            output.WriteLine($"{n,7} x '{unit}': {head.Length,8} bytes, {fields.Steps,12} steps");

            Assert.True(fields.Steps <= bound * (head.Length + 1), $"{fields.Steps} steps for a {head.Length}-byte head ({n} x '{unit}'), over {bound} a byte");
        }
    }

    [Fact]
    public void Names_as_long_as_a_server_writes_them_still_match()
    {
        var prefix = LogLinePrefix.Parse(LogLinePrefix.RdsDefault);
        var user = new string('u', 63);
        var database = new string('d', 63);
        var head = Encoding.UTF8.GetBytes($"2024-05-01 12:00:00 UTC:{new string('h', 253)}(65535):{user}@{database}:[2147483647]:");
        var fields = default(PrefixFields);

        Assert.True(prefix.TryMatchGeneral(head, ref fields));
        Assert.Equal(user, Encoding.UTF8.GetString(fields.User));
        Assert.Equal(database, Encoding.UTF8.GetString(fields.Database));
    }

    [Fact]
    public void A_name_longer_than_a_server_writes_is_no_match()
    {
        var prefix = LogLinePrefix.Parse(LogLinePrefix.RdsDefault);
        var head = Encoding.UTF8.GetBytes($"2024-05-01 12:00:00 UTC:10.0.0.1(5432):{new string('u', 64)}@db:[1]:");
        var fields = default(PrefixFields);

        Assert.False(prefix.TryMatchGeneral(head, ref fields));
    }

    [Fact]
    public void A_megabyte_head_is_a_parse_error_that_says_the_head_is_too_long()
    {
        var head = "2024-05-01 12:00:00 UTC:10.0.0.1(5432):" + string.Concat(Enumerable.Repeat("@:[", 350_000));
        var entry = Encoding.UTF8.GetBytes(head + "LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<not logged>");

        Assert.True(new AuditLineParser(LogLinePrefix.Parse(LogLinePrefix.RdsDefault)).TryParse(entry, out var line));

        Assert.Equal($"the text before the severity is {head.Length} bytes, more than log_line_prefix '%t:%r:%u@%d:[%p]:' can produce (1226)", line.ParseError);
    }
}
