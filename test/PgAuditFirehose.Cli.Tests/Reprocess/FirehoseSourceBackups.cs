using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using PgAuditFirehose.Firehose;
using static PgAuditFirehose.Cli.Tests.Replay.FirehoseErrorObjects;

namespace PgAuditFirehose.Cli.Tests.Reprocess;

/// <summary>
/// Source-backup objects the way Firehose writes them (S3BackupMode Enabled, CompressionFormat UNCOMPRESSED):
/// key &lt;Prefix&gt;&lt;stream name&gt;-&lt;stream version&gt;-yyyy-MM-dd-HH-mm-ss-&lt;uuid&gt;, body the records as received,
/// concatenated without delimiters — for CloudWatch Logs, one gzip member per record. Built from the fixture
/// events' real records (a real PostgreSQL 15 + pgaudit server's log, incl. a control message).
/// </summary>
internal static class FirehoseSourceBackups
{
    public const string StreamName = "pgaudit-firehose-DeliveryStream-Xk3pQ9aLm2Zw";

    /// <summary>template.yaml's Mappings.S3Layout.SourceBackup.Prefix for <see cref="Day"/>.</summary>
    public static string Key(string name, string day = Day) => $"source-backup/dt={day}/{StreamName}-1-{day}-{name}";

    /// <summary>One backup object: each record's data (base64-decoded), back to back.</summary>
    public static byte[] Object(IEnumerable<KinesisFirehoseEvent.FirehoseRecord> records) =>
        [.. records.SelectMany(r => Convert.FromBase64String(r.Base64EncodedData))];

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal)) gzip.Write(data);
        return buffer.ToArray();
    }

    /// <summary>A real envelope with its audit lines taken out: the server's other entries only (Dropped by the function).</summary>
    public static KinesisFirehoseEvent.FirehoseRecord EnvelopeWithoutAuditLines()
    {
        var source = RealWorkload.First(r => Envelope(r)["messageType"]!.GetValue<string>() == "DATA_MESSAGE");
        var envelope = Envelope(source);
        var events = envelope["logEvents"]!.AsArray();
        foreach (var e in events.Where(e => e!["message"]!.GetValue<string>().Contains("AUDIT:", StringComparison.Ordinal)).ToList()) events.Remove(e);
        Assert.NotEmpty(events);
        return new KinesisFirehoseEvent.FirehoseRecord
        {
            RecordId = "no-audit-lines",
            ApproximateArrivalTimestamp = source.ApproximateArrivalTimestamp,
            Base64EncodedData = Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes(envelope.ToJsonString()))),
        };
    }

    /// <summary>A real record cut in the middle of its gzip member, as a damaged object would hold it.</summary>
    public static KinesisFirehoseEvent.FirehoseRecord Truncated(KinesisFirehoseEvent.FirehoseRecord record)
    {
        var data = Convert.FromBase64String(record.Base64EncodedData);
        return new KinesisFirehoseEvent.FirehoseRecord { RecordId = "truncated", Base64EncodedData = Convert.ToBase64String(data.AsSpan(0, data.Length / 2)) };
    }

    /// <summary>A record from bad-records.json by its id.</summary>
    public static KinesisFirehoseEvent.FirehoseRecord Bad(string id) => BadRecords.Single(r => r.RecordId == id);

    private static JsonNode Envelope(KinesisFirehoseEvent.FirehoseRecord record)
    {
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(record.Base64EncodedData)), CompressionMode.Decompress);
        return JsonNode.Parse(gzip)!;
    }
}
