using System.IO.Compression;
using System.Text;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.PgAudit;

/// <summary>The straight matcher for the RDS default prefix against the general one it stands in for.</summary>
public class RdsDefaultPrefixTests
{
    private static readonly LogLinePrefix Rds = LogLinePrefix.Parse(LogLinePrefix.RdsDefault);

    // The text before the severity of every entry the real servers wrote ("...:[7454]:" of "...:[7454]:LOG:  ...").
    private static List<string> RealPrefixes()
    {
        using var gzip = new GZipStream(File.OpenRead(RealLog.PathOf("high-volume.log.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var entries = RealLog.WorkloadEntries.Concat(SubscriptionEnvelopeWriter.EventsFromLog(reader.ReadToEnd(), 0).Select(e => e.Message));
        return [.. entries.Select(Prefix).OfType<string>().Distinct()];
    }

    private static string? Prefix(string entry)
    {
        var end = entry.IndexOf(":  ", StringComparison.Ordinal);
        if (end < 0) return null;
        var start = end;
        while (start > 0 && char.IsAsciiLetterUpper(entry[start - 1])) start--;
        return entry[..start];
    }

    [Fact]
    public void Takes_every_prefix_the_real_server_wrote_and_reads_it_as_the_general_matcher_does()
    {
        var prefixes = RealPrefixes();
        Assert.True(prefixes.Count >= 50, $"only {prefixes.Count} distinct prefixes in the fixture");
        foreach (var prefix in prefixes)
        {
            var (general, generalFields) = General(prefix);
            Assert.True(general, $"the general matcher rejects '{prefix}'");
            var (straight, straightFields) = Straight(prefix);
            Assert.True(straight, $"the straight matcher declines '{prefix}'");
            Assert.Equal(generalFields, straightFields);
        }
    }

    [Theory]
    [InlineData("2026-11-25 10:39:38 UTC:[local]:app@corp:x,y@db:@,1:[7459]:")]
    [InlineData("2026-11-25 10:39:38 UTC:[local]:app@corp:x,y@db:,1:[7461]:")]
    [InlineData("2026-11-25 10:39:37 UTC::@:[7420]:")]
    [InlineData("2026-11-25 10:39:38 UTC:::1(36108):postgres@postgres:[7457]:")]
    [InlineData("2026-11-25 10:39:38 UTC:fe80::1%eth0(5432):a:b@c:[1:[2]:")]
    [InlineData("2026-11-25 10:39:38 UTC:10.0.0.1(5432):u(1):x@d:[3]:")]
    [InlineData("2026-11-25 10:39:38 UTC:host.example(5432):@:[003]:")]
    public void Tricky_names_read_as_the_general_matcher_reads_them(string prefix)
    {
        var (general, generalFields) = General(prefix);
        var (straight, straightFields) = Straight(prefix);

        Assert.True(general);
        Assert.True(straight);
        Assert.Equal(generalFields, straightFields);
    }

    [Theory]
    [InlineData("2026-11-25 10:39:38 UTC:[local]:postgres@postgres:[12345678901]:")]
    [InlineData("2026-11-25 10:39:38 UTC:[local]:postgres@postgres:[]:")]
    [InlineData("2026-11-25 10:39:38 UTC:[local]:postgres:[7454]:")]
    [InlineData("2026-11-25 10:39:38.123 UTC:[local]:postgres@postgres:[7454]:")]
    [InlineData("2026-11-25 10:39:38 UTC:[local]:postgres@postgres:[7454]")]
    [InlineData("2026-11-25 10:39:38 UTC")]
    [InlineData("")]
    public void Declines_what_it_cannot_settle_and_the_general_matcher_still_decides(string prefix)
    {
        var fields = default(PrefixFields);

        Assert.False(RdsDefaultPrefix.TryMatch(Encoding.UTF8.GetBytes(prefix), ref fields));
        Assert.True(fields.Time.IsEmpty && fields.User.IsEmpty && fields.ProcessId is null, "a declined match set fields");
        Assert.Equal(General(prefix), Matched(prefix));
    }

    [Fact]
    public void Reads_thousands_of_generated_and_mutated_prefixes_as_the_general_matcher_does()
    {
        var random = new Random(20261201);
        const string Tricky = "@:[]()%.,-_ ab1";
        string Name(int max) => new([.. Enumerable.Range(0, random.Next(max)).Select(_ => Tricky[random.Next(Tricky.Length)])]);
        string[] hosts = ["[local]", "", "127.0.0.1(53270)", "::1(36108)", "fe80::1%eth0(1)", "h-1.example_x(5432)", Name(6)];
        int taken = 0, agreed = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var prefix = $"2026-11-25 10:39:38 UTC:{hosts[random.Next(hosts.Length)]}:{Name(8)}@{Name(8)}:[{random.Next(100_000)}]:";
            if (n % 2 == 1)
            {
                // A byte dropped, doubled or replaced somewhere.
                var at = random.Next(prefix.Length);
                var c = Tricky[random.Next(Tricky.Length)];
                prefix = (n % 3) switch
                {
                    0 => prefix.Remove(at, 1),
                    1 => prefix.Insert(at, c.ToString()),
                    _ => prefix.Remove(at, 1).Insert(at, c.ToString()),
                };
            }

            var (straight, straightFields) = Straight(prefix);
            var general = General(prefix);
            if (straight)
            {
                taken++;
                Assert.True(general.Matched, $"the straight matcher takes '{prefix}', the general one does not");
                Assert.Equal(general.Fields, straightFields);
            }

            Assert.Equal(general, Matched(prefix));
            agreed++;
        }

        Assert.Equal(20_000, agreed);
        Assert.True(taken > 10_000, $"the straight matcher took only {taken} of 20,000 prefixes");
    }

    [Fact]
    public void Other_formats_are_matched_by_the_general_matcher()
    {
        var withApplication = LogLinePrefix.Parse("%t:%r:%u@%d:[%p]:%a:");
        var text = "2026-11-25 10:39:38 UTC:[local]:u@d:[1]:psql:"u8;
        var fields = default(PrefixFields);

        Assert.True(withApplication.TryMatch(text, ref fields));
        Assert.Equal("d", Encoding.UTF8.GetString(fields.Database));
        fields = default;
        Assert.False(Rds.TryMatch(text, ref fields));
    }

    private static (bool Matched, Fields? Fields) General(string prefix)
    {
        var fields = default(PrefixFields);
        var matched = Rds.TryMatchGeneral(Encoding.UTF8.GetBytes(prefix), ref fields);
        return (matched, matched ? Fields.Of(fields) : null);
    }

    private static (bool Matched, Fields? Fields) Matched(string prefix)
    {
        var fields = default(PrefixFields);
        var matched = Rds.TryMatch(Encoding.UTF8.GetBytes(prefix), ref fields);
        return (matched, matched ? Fields.Of(fields) : null);
    }

    private static (bool Matched, Fields? Fields) Straight(string prefix)
    {
        var fields = default(PrefixFields);
        var matched = RdsDefaultPrefix.TryMatch(Encoding.UTF8.GetBytes(prefix), ref fields);
        return (matched, matched ? Fields.Of(fields) : null);
    }

    private sealed record Fields(string Time, PrefixEscape TimeKind, string Host, int? Port, string User, string Database, int? Pid)
    {
        public static Fields Of(PrefixFields f) => new(
            Encoding.UTF8.GetString(f.Time), f.TimeKind, Encoding.UTF8.GetString(f.RemoteHost), f.RemotePort,
            Encoding.UTF8.GetString(f.User), Encoding.UTF8.GetString(f.Database), f.ProcessId);
    }
}
