using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Benchmarks;

/// <summary>
/// Firehose events built from the log a real PostgreSQL 15 + pgaudit wrote (test fixtures), cycled
/// with fresh statement ids, pids and times so gzip sees realistic, not repeated, text.
/// </summary>
internal static partial class Batches
{
    public static string FixturePath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "test", "PgAuditFirehose.Tests", "Fixtures", "real", name);
            if (File.Exists(path)) return path;
        }

        throw new FileNotFoundException($"Fixtures/real/{name} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Audit entries of the real workload; with <paramref name="longStatements"/> only multi-line ones over 300 bytes.</summary>
    public static List<string> Entries(bool longStatements)
    {
        var entries = SubscriptionEnvelopeWriter.EventsFromLog(File.ReadAllText(FixturePath("workload.log")), 0)
            .Select(e => e.Message).Where(m => m.Contains("AUDIT: ", StringComparison.Ordinal)).ToList();
        return longStatements ? [.. entries.Where(m => m.Contains("\n\t", StringComparison.Ordinal) && m.Length > 300)] : entries;
    }

    /// <summary>
    /// The audit entries with the real session log's other entries (logins, failed logins, errors with their
    /// continuations, connection received, ...) after every fifth one, in their order: about 200 server log
    /// entries per 1,000 audit lines, a busy login and error rate.
    /// </summary>
    public static List<string> WithSessionEntries(List<string> audit)
    {
        var sessions = SubscriptionEnvelopeWriter.EventsFromLog(File.ReadAllText(FixturePath("sessions.log")), 0)
            .Select(e => e.Message).Where(m => !m.Contains("AUDIT: ", StringComparison.Ordinal)).ToList();
        var mixed = new List<string>();
        var next = 0;
        for (var i = 0; i < audit.Count * 5; i++)
        {
            mixed.Add(audit[i % audit.Count]);
            if (i % 5 == 4) mixed.Add(sessions[next++ % sessions.Count]);
        }

        return mixed;
    }

    /// <summary>The audit entries a real server wrote under pgbench (OLTP traffic: short statements, bound parameters).</summary>
    public static List<string> PgbenchEntries()
    {
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(FixturePath("high-volume.log.gz")), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return [.. SubscriptionEnvelopeWriter.EventsFromLog(reader.ReadToEnd(), 0).Select(e => e.Message).Where(m => m.Contains("AUDIT: ", StringComparison.Ordinal))];
    }

    /// <summary>Envelopes of <paramref name="perEnvelope"/> events until the records' gzip'd data reaches <paramref name="compressedBytes"/>.</summary>
    public static KinesisFirehoseEvent Build(List<string> entries, int compressedBytes, int perEnvelope = 200)
    {
        var request = new KinesisFirehoseEvent { InvocationId = "bench" };
        var total = 0;
        var n = 0;
        while (total < compressedBytes)
        {
            var events = new List<SubscriptionEnvelopeWriter.EnvelopeEvent>(perEnvelope);
            for (var i = 0; i < perEnvelope; i++, n++)
            {
                var entry = entries[n % entries.Count];
                var message = entry.Contains("AUDIT: ", StringComparison.Ordinal) ? Vary(entry, n) : entry;
                events.Add(new(SubscriptionEnvelopeWriter.EventId(1_700_000_000_000 + n, n), 1_700_000_000_000 + n, message));
            }

            var data = SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage("123456789012", "/aws/rds/cluster/bench-db/postgresql", "bench-db-instance-1.0", events));
            total += data.Length;
            request.Records.Add(new KinesisFirehoseEvent.FirehoseRecord
            {
                RecordId = string.Create(CultureInfo.InvariantCulture, $"496540000000000000000000000000000000000000000000000000{request.Records.Count:D4}"),
                ApproximateArrivalTimestamp = 1_700_000_000_000,
                Base64EncodedData = Convert.ToBase64String(data),
            });
        }

        return request;
    }

    public static byte[] Json(KinesisFirehoseEvent request) => JsonSerializer.SerializeToUtf8Bytes(request, FirehoseJson.Relaxed.KinesisFirehoseEvent);

    public static long InflatedBytes(KinesisFirehoseEvent request) => request.Records.Sum(r => (long)Inflate(r).Length);

    // A new pid, statement id and time for each copy of a line, as a busy server would write them.
    private static string Vary(string entry, int n)
    {
        var time = new DateTime(2026, 11, 25, 10, 0, 0, DateTimeKind.Utc).AddMilliseconds(n * 37L).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var varied = Pid().Replace(entry, string.Create(CultureInfo.InvariantCulture, $":[{10000 + (n % 4000)}]:"), 1);
        varied = StatementId().Replace(varied, m => string.Create(CultureInfo.InvariantCulture, $"AUDIT: {m.Groups[1].Value},{n},"), 1);
        return time + varied[19..];
    }

    [GeneratedRegex(@":\[\d+\]:")]
    private static partial Regex Pid();

    [GeneratedRegex(@"AUDIT: (SESSION|OBJECT),\d+,")]
    private static partial Regex StatementId();

    public static int EventCount(KinesisFirehoseEvent request) =>
        request.Records.Sum(r => JsonDocument.Parse(Inflate(r)).RootElement.GetProperty("logEvents").GetArrayLength());

    /// <summary>The biggest batch of these entries whose whole response still fits in 6,000,000 bytes with nothing failed.</summary>
    public static KinesisFirehoseEvent LargestFitting(List<string> entries)
    {
        var full = Build(entries, 4 * 1024 * 1024);
        int low = 1, high = full.Records.Count;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Fits(Take(full, mid))) low = mid;
            else high = mid - 1;
        }

        return Take(full, low);
    }

    private static KinesisFirehoseEvent Take(KinesisFirehoseEvent request, int count) =>
        new() { InvocationId = request.InvocationId, Records = [.. request.Records.Take(count)] };

    private static bool Fits(KinesisFirehoseEvent request)
    {
        var transformer = new BatchTransformer(new TransformerOptions(), TextWriter.Null);
        return transformer.Transform(request).Records.All(r => r.Result != KinesisFirehoseResponse.TransformedStateProcessingFailed);
    }

    private static byte[] Inflate(KinesisFirehoseEvent.FirehoseRecord record)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(Convert.FromBase64String(record.Base64EncodedData)), System.IO.Compression.CompressionMode.Decompress);
        using var sink = new MemoryStream();
        gzip.CopyTo(sink);
        return sink.ToArray();
    }
}
