using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.S3.Model;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>What replay-failed and reprocess both need of an object they rebuild records from: its output's name and its day.</summary>
internal static partial class RebuiltObject
{
    /// <summary>
    /// MARKER-NAME-HASH.gz: NAME is the source object's file name (Firehose's, with the stream and a UUID), HASH
    /// the start of the SHA-256 of its whole key, in case two folders hold the same name. The same source key
    /// always gives the same name, so running again overwrites instead of duplicating.
    /// </summary>
    public static string OutputName(string marker, string sourceKey)
    {
        var name = sourceKey[(sourceKey.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".gz", StringComparison.Ordinal)) name = name[..^3];
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(120).ToArray());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceKey)))[..8];
        return $"{marker}{safe}-{hash}.gz";
    }

    /// <summary>The object's dt= day (Firehose's arrival day), else its last-modified time.</summary>
    public static DateTimeOffset Day(S3Object o) =>
        DtPartition().Match(o.Key) is { Success: true } m
            ? new DateTimeOffset(DateOnly.ParseExact(m.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : new DateTimeOffset(o.LastModified ?? DateTime.UtcNow);

    [GeneratedRegex(@"(?:^|/)dt=(\d{4}-\d{2}-\d{2})(?:/|$)")]
    private static partial Regex DtPartition();
}
