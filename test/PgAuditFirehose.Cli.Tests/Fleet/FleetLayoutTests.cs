using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.S3;
using PgAuditFirehose.Cli.Fleet;
using PgAuditFirehose.Cli.Replay;
using PgAuditFirehose.Cli.Tests.Replay;
using PgAuditFirehose.Cli.Tests.Servers;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Cli.Tests.Fleet;

/// <summary>
/// The fleet layout on moto's S3: the function's real output for clusters of two accounts, put where
/// the template's Prefix sends it, then read the way Athena reads each table's partition locations.
/// </summary>
[Collection(MotoServerDefinition.Name)]
public sealed partial class FleetLayoutTests(MotoServer moto) : IDisposable
{
    private const string Day = "2026-11-25";
    private const string AccountA = "111111111111";
    private const string AccountB = "222222222222";
    private static readonly long Arrival = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    // "orders" exists in both accounts: only the account tells them apart. Two instances each.
    private static readonly (string Account, string Cluster)[] Clusters = [(AccountA, "orders"), (AccountA, "billing"), (AccountB, "orders"), (AccountB, "ledger")];

    private AmazonS3Client? _s3;

    private AmazonS3Client S3 => _s3 ??= moto.CreateClient();

    public void Dispose() => _s3?.Dispose();

    [Fact]
    public void The_replay_default_is_the_templates_prefix()
    {
        var template = File.ReadAllText(Repository.Path("template.yaml"));
        var path = PartitionsPath().Match(template).Groups["path"].Value;

        Assert.Equal(ArchivePrefix.TemplateDefault, "audit/{format}/" + path);
    }

    [SkippableTheory]
    [InlineData(OutputFormat.Json)]
    [InlineData(OutputFormat.Csv)]
    public async Task Each_cluster_partition_holds_exactly_its_accounts_cluster_and_the_day_holds_every_cluster(OutputFormat format)
    {
        var bucket = await S3Bucket.CreateAsync(S3);
        var directory = format == OutputFormat.Csv ? "csv" : "json";
        var (expected, prefixes) = await DeliverAsync(bucket, format, directory);

        // Instances share their cluster's partition: one active partition per account, cluster and day.
        Assert.Equal(Clusters.Length, prefixes);
        foreach (var (account, cluster) in Clusters)
        {
            var records = await RecordsAsync(bucket, $"audit/{directory}/dt={Day}/account={account}/cluster={cluster}/", format);
            Assert.Equal(expected[(account, cluster)], records.Count);
            Assert.All(records, r => Assert.Equal((account, cluster), r));
        }

        var day = await RecordsAsync(bucket, $"audit/{directory}/dt={Day}/", format);
        Assert.Equal(expected.Values.Sum(), day.Count);
        Assert.Equal(Clusters.Order(), day.Distinct().Order());
    }

    [SkippableFact]
    public async Task Upgrading_copies_single_cluster_objects_where_the_fleet_tables_read_them_once()
    {
        var bucket = await S3Bucket.CreateAsync(S3);
        var body = FirehoseErrorObjects.Object(["{\"account_id\":\"111111111111\",\"db_identifier\":\"database-1\"}"], gzip: true);
        string[] legacy =
        [
            $"audit/json/cluster=database-1/dt={Day}/database-1-instance-1.0-pgaudit-firehose-1-2026-11-25-10-00-00-a.gz",
            "audit/json/cluster=database-1/dt=2026-11-26/database-1-instance-2.0-overflow-3f2a.gz",
        ];
        foreach (var key in legacy) await bucket.PutAsync(key, body);
        await bucket.PutAsync("errors/processing-failed/dt=2026-11-25/x", body);

        using var dryRun = new StringWriter();
        Assert.Equal(0, await MoveToFleetLayoutCommand.RunAsync(S3, bucket.Name, AccountA, apply: false, dryRun, CancellationToken.None));
        Assert.Equal(3, (await bucket.ListAsync()).Count);
        Assert.Contains("2 to copy, 0 already there (dry run", dryRun.ToString(), StringComparison.Ordinal);

        using var first = new StringWriter();
        Assert.Equal(0, await MoveToFleetLayoutCommand.RunAsync(S3, bucket.Name, AccountA, apply: true, first, CancellationToken.None));
        var keys = (await bucket.ListAsync()).Keys.ToList();
        Assert.Contains($"audit/json/dt={Day}/account={AccountA}/cluster=database-1/database-1-instance-1.0-pgaudit-firehose-1-2026-11-25-10-00-00-a.gz", keys);
        Assert.Contains($"audit/json/dt=2026-11-26/account={AccountA}/cluster=database-1/database-1-instance-2.0-overflow-3f2a.gz", keys);
        Assert.All(legacy, k => Assert.Contains(k, keys));
        Assert.Equal(body.Length, (await S3.GetObjectMetadataAsync(bucket.Name, $"audit/json/dt={Day}/account={AccountA}/cluster=database-1/database-1-instance-1.0-pgaudit-firehose-1-2026-11-25-10-00-00-a.gz")).ContentLength);
        Assert.Contains("2 copied, 0 already there, 0 failed", first.ToString(), StringComparison.Ordinal);

        using var again = new StringWriter();
        Assert.Equal(0, await MoveToFleetLayoutCommand.RunAsync(S3, bucket.Name, AccountA, apply: true, again, CancellationToken.None));
        Assert.Contains("0 copied, 2 already there", again.ToString(), StringComparison.Ordinal);
        Assert.Equal(keys, (await bucket.ListAsync()).Keys);
    }

    [Fact]
    public async Task An_account_id_that_is_not_twelve_digits_is_a_usage_error()
    {
        var (exit, _, error) = await CliRun.InvokeAsync(MoveToFleetLayoutCommand.Create(), "move-to-fleet-layout", "--bucket", "b", "--account-id", "1234");

        Assert.Equal(2, exit);
        Assert.Contains("not a 12-digit AWS account id", error, StringComparison.Ordinal);
    }

    /// <summary>The function's Ok records, grouped and written as Firehose's dynamic partitioning does; audit lines per cluster.</summary>
    private static async Task<(Dictionary<(string, string), int> Lines, int Prefixes)> DeliverAsync(S3Bucket bucket, OutputFormat format, string directory)
    {
        var events = SubscriptionEnvelopeWriter.EventsFromLog(File.ReadAllText(Repository.Path("test", "PgAuditFirehose.Tests", "Fixtures", "real", "workload.log")), Arrival).ToList();
        var request = new KinesisFirehoseEvent { InvocationId = "fleet" };
        var chunk = 0;
        foreach (var (account, cluster) in Clusters)
        {
            foreach (var instance in new[] { "1.0", "2.0" })
            {
                var data = SubscriptionEnvelopeWriter.DataMessage(account, $"/aws/rds/cluster/{cluster}/postgresql", $"{cluster}-instance-{instance}", events.Skip(15 * chunk++ % events.Count).Take(15));
                request.Records.Add(new KinesisFirehoseEvent.FirehoseRecord { RecordId = $"r{chunk}", ApproximateArrivalTimestamp = Arrival, Base64EncodedData = Convert.ToBase64String(SubscriptionEnvelopeWriter.Gzip(data)) });
            }
        }

        var response = new BatchTransformer(new TransformerOptions { Format = format }, TextWriter.Null).Transform(request);
        var prefix = ArchivePrefix.Parse(ArchivePrefix.TemplateDefault, directory);
        var lines = new Dictionary<(string, string), int>();
        var objects = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        foreach (var r in response.Records.Where(r => r.Result == KinesisFirehoseResponse.TransformedStateOk))
        {
            var keys = r.Metadata!.PartitionKeys;
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(r.Base64EncodedData));
            var key = prefix.Evaluate(keys, DateTimeOffset.FromUnixTimeMilliseconds(Arrival));
            (objects.TryGetValue(key, out var o) ? o : objects[key] = new StringBuilder()).Append(text);
            var cluster = (keys["account_id"], keys["db_identifier"]);
            lines[cluster] = lines.GetValueOrDefault(cluster) + text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }

        foreach (var (key, text) in objects)
        {
            await bucket.PutAsync(key + $"pgaudit-firehose-1-2026-11-25-10-00-00-{Guid.NewGuid()}.gz", FirehoseErrorObjects.Object([text.ToString().TrimEnd('\n')], gzip: true));
        }

        return (lines, objects.Count);
    }

    /// <summary>(account_id, db_identifier) of every record of every object under a location, as Athena reads a partition.</summary>
    private static async Task<List<(string, string)>> RecordsAsync(S3Bucket bucket, string location, OutputFormat format)
    {
        var records = new List<(string, string)>();
        foreach (var key in (await bucket.ListAsync(location)).Keys)
        {
            records.AddRange((await bucket.LinesAsync(key)).Select(l => format == OutputFormat.Csv ? FromCsv(l) : FromJson(l)));
        }

        return records;
    }

    private static (string, string) FromJson(string line)
    {
        var record = JsonDocument.Parse(line).RootElement;
        return (record.GetProperty("account_id").GetString()!, record.GetProperty("db_identifier").GetString()!);
    }

    // The CSV table's SerDe: fields split at ',' not escaped by '\', columns in AuditColumns.Csv order.
    private static (string, string) FromCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length) field.Append(line[++i]);
            else if (line[i] == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(line[i]);
        }

        fields.Add(field.ToString());
        var names = AuditColumns.Csv.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, fields.Count);
        return (fields[names.IndexOf("account_id")], fields[names.IndexOf("db_identifier")]);
    }

    [GeneratedRegex(@"S3Layout:\s+Partitions:(?:\s*#[^\n]*)*\s+Path: '(?<path>[^']+)'")]
    private static partial Regex PartitionsPath();
}
