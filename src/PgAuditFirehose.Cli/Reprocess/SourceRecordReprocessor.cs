using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using PgAuditFirehose.Cli.Replay;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Cli.Reprocess;

/// <summary>
/// Rebuilds audit records from Firehose's source-record backup: each backup object's records go through the
/// Lambda's own transformation, and the Ok output is written, gzip'd, where the stream puts records — one
/// object per backup object and partition, named after the backup object, so running again writes the same
/// keys. A backup object is tagged only after its outputs are written: an interrupted run resumes there.
/// </summary>
internal sealed class SourceRecordReprocessor(IAmazonS3 s3, ReprocessOptions options, Action<string> say) : IDisposable
{
    // Batches of this size keep memory bounded; the Lambda's 6 MB response limit does not apply here.
    private const int ChunkRecords = 500;
    private const long ChunkBytes = 3 * 1024 * 1024;

    private readonly StringWriter _log = new(CultureInfo.InvariantCulture);
    private BatchTransformer? _transformer;

    public ReprocessSummary Summary { get; } = new();

    /// <summary>Called after each object is finished (or skipped): progress, and a seam for tests.</summary>
    public Action<string>? ObjectFinished { get; set; }

    /// <summary>The backup objects of the days asked for, in key order (day by day). S3 errors here are fatal.</summary>
    public async Task<IReadOnlyList<S3Object>> ListAsync(CancellationToken cancel)
    {
        var objects = new List<S3Object>();
        // Day folders sort by day: listing starts at --since's folder and stops after --until's, not at the first and last day kept.
        var days = options.BackupPrefix + "dt=";
        var request = new ListObjectsV2Request { BucketName = options.Bucket, Prefix = options.BackupPrefix };
        if (options.Since is { } first) request.StartAfter = days + first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await foreach (var o in s3.Paginators.ListObjectsV2(request).S3Objects.WithCancellation(cancel).ConfigureAwait(false))
        {
            if (o.Key.EndsWith('/')) continue;
            var day = DateOnly.FromDateTime(Arrival(o).UtcDateTime);
            if (options.Until is { } until && day > until)
            {
                if (o.Key.StartsWith(days, StringComparison.Ordinal)) break;
                continue;
            }

            if (options.Since is { } since && day < since) continue;
            objects.Add(o);
        }

        Summary.ObjectsListed = objects.Count;
        return objects;
    }

    public async Task ReprocessAsync(IReadOnlyList<S3Object> objects, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(objects);
        foreach (var o in objects)
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                await ReprocessObjectAsync(o, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
            {
                // Not tagged: the next run takes this object again.
                Summary.ObjectsFailed++;
                say($"error: {Uri(o.Key)}: {e.Message} (not marked; a later run retries it)");
            }

            ObjectFinished?.Invoke(o.Key);
        }
    }

    public void Dispose() => _log.Dispose();

    private async Task ReprocessObjectAsync(S3Object backup, CancellationToken cancel)
    {
        var key = backup.Key;
        var tags = (await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = options.Bucket, Key = key }, cancel).ConfigureAwait(false)).Tagging ?? [];
        if (!options.Again && tags.Any(t => t.Key == ReprocessTag.Key))
        {
            Summary.ObjectsSkipped++;
            return;
        }

        byte[] content;
        using (var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = options.Bucket, Key = key }, cancel).ConfigureAwait(false))
        using (var buffer = new MemoryStream())
        {
            await response.ResponseStream.CopyToAsync(buffer, cancel).ConfigureAwait(false);
            content = buffer.ToArray();
        }

        var outputs = new Dictionary<string, PartitionOutput>(StringComparer.Ordinal);
        try
        {
            var failed = Transform(backup, content, outputs);
            long written = 0, records = 0;
            foreach (var output in outputs.Values.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                using var body = output.Finish();
                written += body.Length;
                records += output.AuditRecords;
                if (!options.DryRun) await PutAsync(output.Key, body, key, cancel).ConfigureAwait(false);
            }

            if (!options.DryRun)
            {
                var value = failed == 0 ? ReprocessTag.Complete : ReprocessTag.Incomplete;
                var tagSet = tags.Where(t => t.Key != ReprocessTag.Key).Append(new Tag { Key = ReprocessTag.Key, Value = value }).ToList();
                await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = options.Bucket, Key = key, Tagging = new Tagging { TagSet = tagSet } }, cancel).ConfigureAwait(false);
            }

            Summary.ObjectsReprocessed++;
            if (failed > 0) Summary.ObjectsIncomplete++;
            Summary.OutputObjects += outputs.Count;
            Summary.OutputBytes += written;
            Summary.AuditRecords += records;
            if (options.Quiet) return;
            say(string.Create(CultureInfo.InvariantCulture,
                $"{(options.DryRun ? "would reprocess" : "reprocessed")} {Uri(key)}: {records:N0} audit records in {outputs.Count} object{(outputs.Count == 1 ? "" : "s")}{(failed > 0 ? $", {failed} record{(failed == 1 ? "" : "s")} failed" : "")}"));
        }
        finally
        {
            foreach (var output in outputs.Values) output.Dispose();
        }
    }

    /// <summary>Runs the object's records through the transformation in chunks; returns how many failed.</summary>
    private int Transform(S3Object backup, byte[] content, Dictionary<string, PartitionOutput> outputs)
    {
        var failed = 0;
        var chunk = new List<SourceRecord>();
        long bytes = 0;
        foreach (var record in BackupObjectReader.Read(content))
        {
            Summary.Records++;
            chunk.Add(record);
            bytes += record.Data.Length;
            if (chunk.Count < ChunkRecords && bytes < ChunkBytes) continue;
            failed += TransformChunk(backup, chunk, outputs);
            chunk.Clear();
            bytes = 0;
        }

        if (chunk.Count > 0) failed += TransformChunk(backup, chunk, outputs);
        return failed;
    }

    private int TransformChunk(S3Object backup, List<SourceRecord> chunk, Dictionary<string, PartitionOutput> outputs)
    {
        // A backup object keeps no per-record arrival time; its dt= day is the oldest record's, as the stream's own objects use.
        var arrival = Arrival(backup);
        var request = new KinesisFirehoseEvent { InvocationId = "reprocess" };
        foreach (var r in chunk)
        {
            request.Records.Add(new KinesisFirehoseEvent.FirehoseRecord
            {
                RecordId = r.Number.ToString(CultureInfo.InvariantCulture),
                ApproximateArrivalTimestamp = arrival.ToUnixTimeMilliseconds(),
                Base64EncodedData = Convert.ToBase64String(r.Data.Span),
            });
        }

        _transformer ??= new BatchTransformer(options.Transformer with { MaxResponseBytes = int.MaxValue }, _log);
        _log.GetStringBuilder().Clear();
        var response = _transformer.Transform(request);
        var reasons = TransformFailures.Reasons(_log.ToString());
        var failed = 0;
        for (var i = 0; i < chunk.Count; i++)
        {
            var record = response.Records[i];
            var source = chunk[i];
            switch (record.Result)
            {
                case KinesisFirehoseResponse.TransformedStateOk:
                    string prefix;
                    try
                    {
                        prefix = options.Archive.Evaluate(record.Metadata?.PartitionKeys ?? new Dictionary<string, string>(), arrival);
                    }
                    catch (KeyNotFoundException e)
                    {
                        failed += Failed(backup, source, e.Message);
                        break;
                    }

                    var key = prefix + ObjectName(backup.Key);
                    if (!outputs.TryGetValue(key, out var output)) outputs.Add(key, output = new PartitionOutput(key));
                    output.Append(Convert.FromBase64String(record.Base64EncodedData));
                    Summary.Ok++;
                    break;
                case KinesisFirehoseResponse.TransformedStateDropped:
                    Summary.Dropped++;
                    break;
                default:
                    failed += Failed(backup, source, reasons.GetValueOrDefault(record.RecordId, "the transformation failed it"));
                    break;
            }
        }

        return failed;
    }

    private int Failed(S3Object backup, SourceRecord source, string reason)
    {
        Summary.Failed++;
        say(string.Create(CultureInfo.InvariantCulture,
            $"failed: {Uri(backup.Key)} record {source.Number} (bytes {source.Offset}-{source.Offset + source.Data.Length - 1}): {reason} (skipped)"));
        return 1;
    }

    private async Task PutAsync(string key, Stream body, string backupKey, CancellationToken cancel)
    {
        var request = new PutObjectRequest { BucketName = options.Bucket, Key = key, InputStream = body, AutoCloseStream = false };
        // Metadata must be ASCII; Firehose's keys are.
        if (Ascii.IsValid(backupKey)) request.Metadata.Add("pgaudit-firehose-reprocessed-from", backupKey);
        await s3.PutObjectAsync(request, cancel).ConfigureAwait(false);
    }

    internal static string ObjectName(string backupKey) => RebuiltObject.OutputName(ReprocessTag.ObjectMarker, backupKey);

    /// <summary>The object's dt= day (Firehose's arrival day of its oldest record), else its last-modified time.</summary>
    private static DateTimeOffset Arrival(S3Object o) => RebuiltObject.Day(o);

    private string Uri(string key) => $"s3://{options.Bucket}/{key}";
}
