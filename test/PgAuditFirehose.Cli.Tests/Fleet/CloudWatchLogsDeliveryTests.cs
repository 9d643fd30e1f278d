using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.S3;
using PgAuditFirehose.Cli.Tests.Replay;
using PgAuditFirehose.Cli.Tests.Servers;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Cli.Tests.Fleet;

/// <summary>
/// The CloudWatch Logs API path of a fleet on moto: the collector's destination and its policy as
/// template.yaml writes them, and a same-account source's filter into the stream (moto delivers real
/// gzip'd envelopes to S3; the function keys them). moto cannot subscribe a log group to a
/// destination (it answers ResourceNotFoundException), so the cross-account hop itself is not run here.
/// </summary>
[Collection(MotoServerDefinition.Name)]
public sealed partial class CloudWatchLogsDeliveryTests(MotoServer moto) : IDisposable
{
    private const string MotoAccount = "123456789012";
    private const string Role = $"arn:aws:iam::{MotoAccount}:role/audit-lake-SubscriptionFilterRole";

    private AmazonS3Client? _s3;
    private MotoJsonApi? _api;

    private AmazonS3Client S3 => _s3 ??= moto.CreateClient();

    private MotoJsonApi Api => _api ??= new MotoJsonApi(moto.Endpoint);

    public void Dispose()
    {
        _s3?.Dispose();
        _api?.Dispose();
    }

    [SkippableFact]
    public async Task The_destination_policy_names_the_arn_cloudwatch_logs_gives_the_destination()
    {
        var bucket = await S3Bucket.CreateAsync(S3);
        var stream = await StreamAsync(bucket.Name);
        var name = "audit-lake-" + Guid.NewGuid().ToString("N")[..8];

        var created = await Api.LogsAsync("PutDestination", new JsonObject { ["destinationName"] = name + "-pgaudit", ["targetArn"] = stream, ["roleArn"] = Role });
        var policy = TemplatePolicy(name, ["111111111111", "222222222222"]);
        await Api.LogsAsync("PutDestinationPolicy", new JsonObject { ["destinationName"] = name + "-pgaudit", ["accessPolicy"] = policy });
        var described = (await Api.LogsAsync("DescribeDestinations", new JsonObject { ["DestinationNamePrefix"] = name })).GetProperty("destinations").EnumerateArray().Single();

        var arn = created.GetProperty("destination").GetProperty("arn").GetString();
        Assert.Equal(stream, described.GetProperty("targetArn").GetString());
        var statement = JsonDocument.Parse(described.GetProperty("accessPolicy").GetString()!).RootElement.GetProperty("Statement")[0];
        Assert.Equal(arn, statement.GetProperty("Resource").GetString());
        Assert.Equal(["111111111111", "222222222222"], statement.GetProperty("Principal").GetProperty("AWS").EnumerateArray().Select(a => a.GetString()));
    }

    [SkippableFact]
    public async Task A_same_account_sources_filter_delivers_into_the_stream_and_the_function_keys_account_and_cluster()
    {
        var bucket = await S3Bucket.CreateAsync(S3);
        var stream = await StreamAsync(bucket.Name);
        var cluster = "orders-" + Guid.NewGuid().ToString("N")[..8];
        var group = $"/aws/rds/cluster/{cluster}/postgresql";
        var entries = SubscriptionEnvelopeWriter.EventsFromLog(File.ReadAllText(Repository.Path("test", "PgAuditFirehose.Tests", "Fixtures", "real", "workload.log")), 0).Take(40).ToList();

        await Api.LogsAsync("CreateLogGroup", new JsonObject { ["logGroupName"] = group });
        await Api.LogsAsync("CreateLogStream", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = cluster + "-instance-1.0" });
        // What source.yaml creates in the collector's account: DestinationArn = the stream, RoleArn = the collector's role.
        await Api.LogsAsync("PutSubscriptionFilter", new JsonObject
        {
            ["logGroupName"] = group,
            ["filterName"] = "source-pgaudit",
            ["filterPattern"] = "?\"LOG:  AUDIT:\"",
            ["destinationArn"] = stream,
            ["roleArn"] = Role,
        });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Api.LogsAsync("PutLogEvents", new JsonObject
        {
            ["logGroupName"] = group,
            ["logStreamName"] = cluster + "-instance-1.0",
            ["logEvents"] = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject { ["timestamp"] = now, ["message"] = e.Message })]),
        });

        var request = new KinesisFirehoseEvent { InvocationId = "moto" };
        foreach (var key in (await bucket.ListAsync()).Keys)
        {
            using var o = await S3.GetObjectAsync(bucket.Name, key);
            using var body = new MemoryStream();
            await o.ResponseStream.CopyToAsync(body);
            request.Records.Add(new KinesisFirehoseEvent.FirehoseRecord { RecordId = key, ApproximateArrivalTimestamp = now, Base64EncodedData = Convert.ToBase64String(body.ToArray()) });
        }

        var ok = new BatchTransformer(new TransformerOptions(), TextWriter.Null).Transform(request).Records.Where(r => r.Result == KinesisFirehoseResponse.TransformedStateOk).ToList();
        Assert.NotEmpty(ok);
        Assert.All(ok, r => Assert.Equal((MotoAccount, cluster), (r.Metadata!.PartitionKeys["account_id"], r.Metadata.PartitionKeys["db_identifier"])));
        var lines = ok.SelectMany(r => Encoding.UTF8.GetString(Convert.FromBase64String(r.Base64EncodedData)).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(entries.Count(e => e.Message.Contains("AUDIT:", StringComparison.Ordinal)), lines.Count);
    }

    private async Task<string> StreamAsync(string bucket)
    {
        var created = await Api.FirehoseAsync("CreateDeliveryStream", new JsonObject
        {
            ["DeliveryStreamName"] = "audit-lake-" + Guid.NewGuid().ToString("N")[..8],
            ["ExtendedS3DestinationConfiguration"] = new JsonObject { ["RoleARN"] = Role, ["BucketARN"] = $"arn:aws:s3:::{bucket}", ["Prefix"] = "delivered/" },
        });
        return created.GetProperty("DeliveryStreamARN").GetString()!;
    }

    /// <summary>template.yaml's accounts-only destination policy, its ${...} filled as CloudFormation would in moto's account and region.</summary>
    private static string TemplatePolicy(string stackName, string[] accounts)
    {
        var template = File.ReadAllText(Repository.Path("template.yaml"));
        var statement = AccountsStatement().Match(template).Groups["statement"].Value;
        Assert.NotEmpty(statement);
        var filled = statement
            .Replace("${Ids}", string.Join("\",\"", accounts), StringComparison.Ordinal)
            .Replace("${AWS::Partition}", "aws", StringComparison.Ordinal)
            .Replace("${AWS::Region}", "us-east-1", StringComparison.Ordinal)
            .Replace("${AWS::AccountId}", MotoAccount, StringComparison.Ordinal)
            .Replace("${AWS::StackName}", stackName, StringComparison.Ordinal);
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + filled + "]}";
    }

    [GeneratedRegex(@"'(?<statement>\{""Sid"":""FleetAccounts""[^']+)'")]
    private static partial Regex AccountsStatement();
}
