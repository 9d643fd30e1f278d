using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Tests.PgAudit;

/// <summary>The table of ambiguous abbreviations is the IANA database's own conflicts, derived again from the machine's copy.</summary>
public sealed class AmbiguousAbbreviationsTests
{
    [Fact]
    public void The_table_holds_exactly_the_abbreviations_the_tz_database_gives_several_offsets()
    {
        var derived = Derive();
        var expected = derived.Where(d => d.Value.Count > 1 && d.Key != "LMT")
            .Select(d => $"{d.Key}: {string.Join(" ", d.Value.Keys)}").ToList();
        var table = AmbiguousAbbreviations.Offsets.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => $"{t.Key}: {string.Join(" ", t.Value.Select(o => o.OffsetSeconds))}").ToList();

        // On a difference after a tzdata update, regenerate the table from this derivation.
        Assert.Equal(expected, table);
        Assert.Contains("CST", AmbiguousAbbreviations.Offsets.Keys);
        Assert.Contains("IST", AmbiguousAbbreviations.Offsets.Keys);
    }

    [Fact]
    public void Each_zone_the_table_names_uses_that_abbreviation_with_that_offset()
    {
        foreach (var (abbreviation, offsets) in AmbiguousAbbreviations.Offsets)
        {
            foreach (var (offset, zone) in offsets)
            {
                Assert.Contains((abbreviation, offset), TzifAbbreviations.ReadZone(zone)!);
            }
        }
    }

    // Every zone file of the database (not the posix/ and right/ copies): abbreviation → offset → zones.
    private static SortedDictionary<string, SortedDictionary<int, List<string>>> Derive()
    {
        var root = TzifAbbreviations.Directory;
        Assert.True(Directory.Exists(root), $"no time zone database at {root}: install tzdata");
        var map = new SortedDictionary<string, SortedDictionary<int, List<string>>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var id = Path.GetRelativePath(root, file);
            if (id.StartsWith("posix", StringComparison.Ordinal) || id.StartsWith("right", StringComparison.Ordinal)) continue;
            var bytes = File.ReadAllBytes(file);
            if (!bytes.AsSpan().StartsWith("TZif"u8)) continue;
            foreach (var (abbreviation, offset) in TzifAbbreviations.Read(bytes))
            {
                if (!map.TryGetValue(abbreviation, out var offsets)) map[abbreviation] = offsets = [];
                if (!offsets.TryGetValue(offset, out var zones)) offsets[offset] = zones = [];
                zones.Add(id);
            }
        }

        return map;
    }
}
