using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>
/// Replays Firehose's ProcessingFailed records: each error object's records go through the Lambda's own
/// transformation and the Ok output is written, gzip'd, under the archive prefix — one object per error
/// object and partition, named after the error object, so running again overwrites instead of duplicating.
/// Object by object, the error object is tagged only after its outputs are written: an interrupted run
/// resumes where it stopped.
/// </summary>
internal sealed class FailedRecordReplayer(IAmazonS3 s3, ReplayOptions options, Action<string> say) : IDisposable
{
    // Batches of this size keep memory bounded; the Lambda's 6 MB response limit does not apply here.
    private const int ChunkRecords = 500;
    private const long ChunkChars = 4 * 1024 * 1024;

    // The transformer says why a record failed only in its JSON log lines.
    private readonly StringWriter _log = new(CultureInfo.InvariantCulture);
    private BatchTransformer? _transformer;

    public ReplaySummary Summary { get; } = new();

    /// <summary>Called after each object is finished (or skipped): progress, and a seam for tests.</summary>
    public Action<string>? ObjectFinished { get; set; }

    /// <summary>The error objects under the prefix (from --since on), in key order. S3 errors here are fatal.</summary>
    public async Task<IReadOnlyList<S3Object>> ListAsync(CancellationToken cancel)
    {
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = options.Bucket, Prefix = options.ErrorPrefix };
        await foreach (var o in s3.Paginators.ListObjectsV2(request).S3Objects.WithCancellation(cancel).ConfigureAwait(false))
        {
            if (o.Key.EndsWith('/')) continue;
            if (options.Since is { } since && DayOf(o) < since) continue;
            objects.Add(o);
        }

        Summary.ObjectsListed = objects.Count;
        return objects;
    }

    public async Task ReplayAsync(IReadOnlyList<S3Object> objects, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(objects);
        foreach (var o in objects)
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                await ReplayObjectAsync(o, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException or InvalidDataException)
            {
                // Not tagged: the next run takes this object again.
                Summary.ObjectsFailed++;
                say($"error: {Uri(o.Key)}: {e.Message} (not marked; a later run retries it)");
            }

            ObjectFinished?.Invoke(o.Key);
        }
    }

    public void Dispose() => _log.Dispose();

    private async Task ReplayObjectAsync(S3Object errorObject, CancellationToken cancel)
    {
        var key = errorObject.Key;
        var tags = (await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = options.Bucket, Key = key }, cancel).ConfigureAwait(false)).Tagging ?? [];
        var mark = tags.FirstOrDefault(t => t.Key == ReplayTag.Key)?.Value;
        if (mark == ReplayTag.Complete || (mark == ReplayTag.Incomplete && !options.RetryIncomplete))
        {
            if (mark == ReplayTag.Complete) Summary.ObjectsSkipped++;
            else Summary.ObjectsSkippedIncomplete++;
            return;
        }

        using var content = new MemoryStream();
        using (var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = options.Bucket, Key = key }, cancel).ConfigureAwait(false))
        {
            await response.ResponseStream.CopyToAsync(content, cancel).ConfigureAwait(false);
        }

        content.Position = 0;
        var outputs = new Dictionary<string, PartitionOutput>(StringComparer.Ordinal);
        try
        {
            var problems = Transform(errorObject, content, outputs);
            long written = 0, records = 0;
            foreach (var output in outputs.Values)
            {
                using var body = output.Finish();
                written += body.Length;
                records += output.AuditRecords;
                if (!options.DryRun) await PutAsync(output.Key, body, key, cancel).ConfigureAwait(false);
            }

            if (!options.DryRun)
            {
                var value = problems == 0 ? ReplayTag.Complete : ReplayTag.Incomplete;
                var tagSet = tags.Where(t => t.Key != ReplayTag.Key).Append(new Tag { Key = ReplayTag.Key, Value = value }).ToList();
                await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = options.Bucket, Key = key, Tagging = new Tagging { TagSet = tagSet } }, cancel).ConfigureAwait(false);
            }

            Summary.ObjectsReplayed++;
            if (problems > 0) Summary.ObjectsIncomplete++;
            Summary.OutputObjects += outputs.Count;
            Summary.OutputBytes += written;
            Summary.AuditRecords += records;
            if (options.Quiet) return;
            say(string.Create(CultureInfo.InvariantCulture,
                $"{(options.DryRun ? "would replay" : "replayed")} {Uri(key)}: {records:N0} audit records in {outputs.Count} object{(outputs.Count == 1 ? "" : "s")}{(problems > 0 ? $", {problems} line{(problems == 1 ? "" : "s")} not replayed" : "")}"));
        }
        finally
        {
            foreach (var output in outputs.Values) output.Dispose();
        }
    }

    /// <summary>Runs the object's records through the transformation in chunks; returns how many lines were not replayed.</summary>
    private int Transform(S3Object errorObject, Stream content, Dictionary<string, PartitionOutput> outputs)
    {
        var problems = 0;
        var chunk = new List<FailedRecord>();
        long chars = 0;
        foreach (var line in ErrorObjectReader.Read(content))
        {
            if (line.Record is null)
            {
                problems++;
                Summary.Malformed++;
                say($"malformed: {Uri(errorObject.Key)} line {line.Line}: {line.Malformed} (skipped)");
                continue;
            }

            Summary.Records++;
            chunk.Add(line.Record);
            chars += line.Record.RawData.Length;
            if (chunk.Count < ChunkRecords && chars < ChunkChars) continue;
            problems += TransformChunk(errorObject, chunk, outputs);
            chunk.Clear();
            chars = 0;
        }

        if (chunk.Count > 0) problems += TransformChunk(errorObject, chunk, outputs);
        return problems;
    }

    private int TransformChunk(S3Object errorObject, List<FailedRecord> chunk, Dictionary<string, PartitionOutput> outputs)
    {
        var fallback = FallbackArrival(errorObject);
        var request = new KinesisFirehoseEvent { InvocationId = "replay-failed" };
        foreach (var r in chunk)
        {
            request.Records.Add(new KinesisFirehoseEvent.FirehoseRecord
            {
                RecordId = r.Line.ToString(CultureInfo.InvariantCulture),
                ApproximateArrivalTimestamp = r.ArrivalTimestamp ?? fallback.ToUnixTimeMilliseconds(),
                Base64EncodedData = r.RawData,
            });
        }

        _transformer ??= new BatchTransformer(options.Transformer with { MaxResponseBytes = int.MaxValue }, _log);
        _log.GetStringBuilder().Clear();
        var response = _transformer.Transform(request);
        var reasons = TransformFailures.Reasons(_log.ToString());
        var problems = 0;
        for (var i = 0; i < chunk.Count; i++)
        {
            var record = response.Records[i];
            var source = chunk[i];
            switch (record.Result)
            {
                case KinesisFirehoseResponse.TransformedStateOk:
                    var arrival = source.ArrivalTimestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : fallback;
                    string prefix;
                    try
                    {
                        prefix = options.Archive.Evaluate(record.Metadata?.PartitionKeys ?? new Dictionary<string, string>(), arrival);
                    }
                    catch (KeyNotFoundException e)
                    {
                        problems += StillFailing(errorObject, source, e.Message);
                        break;
                    }

                    var key = prefix + ObjectName(errorObject.Key);
                    if (!outputs.TryGetValue(key, out var output)) outputs.Add(key, output = new PartitionOutput(key));
                    output.Append(Convert.FromBase64String(record.Base64EncodedData));
                    Summary.Ok++;
                    break;
                case KinesisFirehoseResponse.TransformedStateDropped:
                    Summary.Dropped++;
                    break;
                default:
                    problems += StillFailing(errorObject, source, reasons.GetValueOrDefault(record.RecordId, "the transformation failed it"));
                    break;
            }
        }

        return problems;
    }

    private int StillFailing(S3Object errorObject, FailedRecord source, string reason)
    {
        Summary.StillFailing++;
        say($"still failing: {Uri(errorObject.Key)} line {source.Line}: {reason} (left in place)");
        return 1;
    }

    private async Task PutAsync(string key, Stream body, string errorKey, CancellationToken cancel)
    {
        var request = new PutObjectRequest { BucketName = options.Bucket, Key = key, InputStream = body, AutoCloseStream = false };
        // Metadata must be ASCII; the error object's key normally is.
        if (Ascii.IsValid(errorKey)) request.Metadata.Add("pgaudit-firehose-replayed-from", errorKey);
        await s3.PutObjectAsync(request, cancel).ConfigureAwait(false);
    }

    private static string ObjectName(string errorKey) => RebuiltObject.OutputName("replay-", errorKey);

    /// <summary>Records without arrivalTimestamp take the error object's dt= day, else its last-modified time.</summary>
    private static DateTimeOffset FallbackArrival(S3Object o) => RebuiltObject.Day(o);

    private static DateOnly DayOf(S3Object o) => DateOnly.FromDateTime(FallbackArrival(o).UtcDateTime);

    private string Uri(string key) => $"s3://{options.Bucket}/{key}";
}
