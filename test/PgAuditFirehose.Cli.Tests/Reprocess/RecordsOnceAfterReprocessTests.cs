using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.S3;
using PgAuditFirehose.Cli.Replay;
using PgAuditFirehose.Cli.Tests.Replay;
using PgAuditFirehose.Cli.Tests.Servers;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.PgAudit;
using static PgAuditFirehose.Cli.Tests.Replay.FirehoseErrorObjects;
using static PgAuditFirehose.Cli.Tests.Reprocess.FirehoseSourceBackups;

namespace PgAuditFirehose.Cli.Tests.Reprocess;

/// <summary>
/// Reprocessing a day that already has records: per log event, the rebuilt lines win (template.yaml's
/// RecordsOnceAfterReprocessQuery), applied here to the bucket's objects as Athena applies it to their rows.
/// </summary>
[Collection(MotoServerDefinition.Name)]
public sealed class RecordsOnceAfterReprocessTests(MotoServer moto) : IDisposable
{
    private const string Partition = $"audit/json/dt={Day}/account=123456789012/cluster=pgaudit-demo/";

    private AmazonS3Client? _s3;

    private AmazonS3Client S3 => _s3 ??= moto.CreateClient();

    public void Dispose() => _s3?.Dispose();

    [SkippableFact]
    public async Task Each_audit_line_is_once_and_rebuilt_lines_replace_wrong_ones()
    {
        var bucket = await S3Bucket.CreateAsync(S3);
        var rebuilt = RealWorkload.Take(4).ToArray();
        var untouched = RealWorkload.Skip(4).ToArray();
        // What the stream delivered: the first records with a wrong LOG_LINE_PREFIX (every line a parse error),
        // the others right; only the first records are still in the backup (the others' expired).
        var wrong = new TransformerOptions { Prefix = LogLinePrefix.Parse("%m [%p] ") };
        await bucket.PutAsync(Partition + $"{StreamName}-1-{Day}-10-05-00-aaaa.gz", Delivered(rebuilt, wrong));
        await bucket.PutAsync(Partition + $"{StreamName}-1-{Day}-10-10-00-bbbb.gz", Delivered(untouched, new TransformerOptions()));
        await bucket.PutAsync(Key("10-05-00-0b5b5c3e"), FirehoseSourceBackups.Object(rebuilt));

        var (exit, _, _) = await CliRun.InvokeAsync(Cli.Reprocess.ReprocessCommand.Create(MotoServer.Credentials),
            "reprocess", "--bucket", bucket.Name, "--endpoint-url", moto.Endpoint, "--since", Day, "--until", Day);
        Assert.Equal(0, exit);

        var all = new List<(bool Reprocessed, string Line)>();
        foreach (var key in (await bucket.ListAsync("audit/")).Keys)
        {
            all.AddRange((await bucket.LinesAsync(key)).Select(line => (ReprocessedPath().IsMatch(key), line)));
        }

        var rebuiltEvents = all.Where(r => r.Reprocessed).Select(r => EventId(r.Line)).ToHashSet(StringComparer.Ordinal);
        var once = all.Where(r => r.Reprocessed || !rebuiltEvents.Contains(EventId(r.Line))).Select(r => r.Line).ToList();

        Assert.Contains(all, r => !r.Reprocessed && r.Line.Contains("\"parse_error\"", StringComparison.Ordinal));
        var expected = Expected(RealWorkload)[("pgaudit-demo", "pgaudit-demo-instance-1.0")];
        Assert.Equal(expected.Order(StringComparer.Ordinal), once.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_query_tells_rebuilt_objects_by_the_name_reprocess_gives_them_only()
    {
        var name = Cli.Reprocess.SourceRecordReprocessor.ObjectName(Key("10-05-00-0b5b5c3e"));

        Assert.Matches(ReprocessedPath(), $"s3://b/{Partition}{name}");
        Assert.DoesNotMatch(ReprocessedPath(), $"s3://b/{Partition}{StreamName}-1-{Day}-10-05-00-0b5b5c3e.gz");
        Assert.DoesNotMatch(ReprocessedPath(), $"s3://b/{Partition}overflow-0123456789abcdef0123456789abcdef.gz");
    }

    /// <summary>What the stream writes for these records: the function's Ok output, gzip'd, in one object.</summary>
    private static byte[] Delivered(IEnumerable<KinesisFirehoseEvent.FirehoseRecord> records, TransformerOptions options)
    {
        var lines = Expected(records, options)[("pgaudit-demo", "pgaudit-demo-instance-1.0")];
        return Gzip(System.Text.Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
    }

    private static string EventId(string line)
    {
        using var record = JsonDocument.Parse(line);
        return record.RootElement.GetProperty("log_event_id").GetString()!;
    }

    /// <summary>The named query's regexp_like pattern on "$path", read from template.yaml.</summary>
    private static Regex ReprocessedPath()
    {
        var template = File.ReadAllText(Repository.Path("template.yaml"));
        var pattern = Regex.Match(template, "regexp_like\\(\"\\$path\", '([^']+)'\\)").Groups[1].Value;
        Assert.NotEmpty(pattern);
        return new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
    }
}
