using System.CommandLine;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using PgAuditFirehose.Cli.Replay;

namespace PgAuditFirehose.Cli.Fleet;

/// <summary>
/// <c>move-to-fleet-layout --bucket B --account-id A</c>: copies the objects a single-cluster stack wrote
/// under <c>audit/&lt;dir&gt;/cluster=…/dt=…/</c> to <c>audit/&lt;dir&gt;/dt=…/account=A/cluster=…/</c>, where
/// the fleet tables read them. Copies only (Object Lock may forbid deletes, and the old keys are outside
/// every table's partitions, so nothing is counted twice); an object already at its new key is skipped,
/// so the command is safe to run again. Exit 0 done, 1 some copies failed, 2 usage.
/// </summary>
internal static class MoveToFleetLayoutCommand
{
    /// <param name="credentials">Null: the SDK's default chain. Tests pass dummy credentials for the emulator.</param>
    public static Command Create(AWSCredentials? credentials = null)
    {
        var bucket = new Option<string>("--bucket") { Description = "The archive bucket (the stack's ArchiveBucket)", Required = true };
        var account = new Option<string>("--account-id") { Description = "The account that owned the log group (the stack's own account): the account= of the copies", Required = true };
        var apply = new Option<bool>("--apply") { Description = "Copy; without it the command only lists what it would copy" };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "An S3-compatible endpoint instead of AWS, e.g. http://127.0.0.1:5000 (moto)" };
        var region = new Option<string?>("--region") { Description = "AWS region (default: AWS_REGION / the profile's; us-east-1 with --endpoint-url)" };
        var command = new Command("move-to-fleet-layout", "Copy a single-cluster stack's audit objects to the fleet layout (dt=/account=/cluster=); safe to run again")
        {
            bucket, account, apply, endpoint, region,
        };
        command.SetAction(async (r, cancel) =>
        {
            var accountId = r.GetValue(account)!;
            if (!LegacyLayout.IsAccountId(accountId)) throw new UsageException($"--account-id '{accountId}' is not a 12-digit AWS account id");

            using var s3 = S3ClientFactory.Create(r.GetValue(endpoint), r.GetValue(region), credentials);
            return await RunAsync(s3, r.GetValue(bucket)!, accountId, r.GetValue(apply), r.InvocationConfiguration.Output, cancel).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(IAmazonS3 s3, string bucket, string accountId, bool apply, TextWriter output, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(output);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        var moves = new List<(string From, string To)>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = LegacyLayout.Root };
        await foreach (var o in s3.Paginators.ListObjectsV2(request).S3Objects.WithCancellation(cancel).ConfigureAwait(false))
        {
            existing.Add(o.Key);
            if (LegacyLayout.FleetKey(o.Key, accountId) is { } to) moves.Add((o.Key, to));
        }

        var (copied, skipped, failed) = (0, 0, 0);
        foreach (var (from, to) in moves)
        {
            if (existing.Contains(to))
            {
                skipped++;
                continue;
            }

            if (!apply)
            {
                await output.WriteLineAsync($"would copy s3://{bucket}/{from} -> {to}").ConfigureAwait(false);
                continue;
            }

            try
            {
                await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = from, DestinationBucket = bucket, DestinationKey = to }, cancel).ConfigureAwait(false);
                copied++;
            }
            catch (AmazonS3Exception e)
            {
                failed++;
                await output.WriteLineAsync($"failed: s3://{bucket}/{from} -> {to}: {e.ErrorCode}: {e.Message}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync(apply
            ? $"move-to-fleet-layout: {copied} copied, {skipped} already there, {failed} failed (of {moves.Count} single-cluster objects)"
            : $"move-to-fleet-layout: {moves.Count - skipped} to copy, {skipped} already there (dry run: add --apply)").ConfigureAwait(false);
        return failed == 0 ? 0 : 1;
    }
}
