using System.Diagnostics;
using System.Text.Json;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// A Firehose batch in, a response out: every record id once, in input order, the whole response
/// within <see cref="TransformerOptions.MaxResponseBytes"/>. Records that fail, or no longer fit,
/// come back ProcessingFailed with their original data, so Firehose keeps them under its error prefix.
/// </summary>
public sealed class BatchTransformer : IDisposable
{
    private readonly TransformerOptions _options;
    private readonly TransformLog _log;
    private readonly RecordTransformer _records;

    public BatchTransformer(TransformerOptions options, TextWriter log)
    {
        _options = options;
        _log = new TransformLog(log);
        _records = new RecordTransformer(options);
    }

    /// <summary>Reads the event JSON from <paramref name="input"/> and writes the response JSON to <paramref name="output"/>.</summary>
    public void Transform(Stream input, Stream output)
    {
        KinesisFirehoseEvent? request;
        try
        {
            request = JsonSerializer.Deserialize(input, FirehoseJson.Relaxed.KinesisFirehoseEvent);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The invocation is not a Firehose transformation event: {e.Message}", e);
        }

        var response = Transform(request ?? throw new InvalidDataException("The invocation is not a Firehose transformation event: it is JSON null."));
        JsonSerializer.Serialize(output, response, FirehoseJson.Relaxed.KinesisFirehoseResponse);
    }

    public KinesisFirehoseResponse Transform(KinesisFirehoseEvent request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var records = request.Records;
        var summary = new BatchSummary { Records = records.Count };

        // Room is kept for every later record to come back failed, so a record admitted now never pushes a later one out.
        var failedSizes = new long[records.Count];
        long reserve = 0;
        for (var i = 0; i < records.Count; i++)
        {
            failedSizes[i] = ResponseBudget.EntrySize(records[i].RecordId, KinesisFirehoseResponse.TransformedStateProcessingFailed, records[i].Base64EncodedData.Length, null);
            reserve += failedSizes[i];
        }

        var used = ResponseBudget.FrameSize(records.Count);
        var response = new KinesisFirehoseResponse();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            reserve -= failedSizes[i];
            summary.BytesIn += record.Base64EncodedData.Length;
            var outcome = _records.Transform(record.Base64EncodedData);
            var size = outcome.Result == KinesisFirehoseResponse.TransformedStateProcessingFailed
                ? failedSizes[i]
                : ResponseBudget.EntrySize(record.RecordId, outcome.Result, ResponseBudget.Base64Length(outcome.Output.Length), outcome.PartitionKeys);
            if (outcome.Error is null && used + size + reserve > _options.MaxResponseBytes)
            {
                outcome = RecordOutcome.Failed(
                    $"its {outcome.Output.Length} bytes of output do not fit in the {_options.MaxResponseBytes}-byte response with the rest of the batch " +
                    "(lower the Firehose processor's BufferSizeInMBs)",
                    outcome.Lines);
                size = failedSizes[i];
                summary.FailedForSize++;
            }

            used += size;
            var entry = ToResponseRecord(record, outcome);
            response.Records.Add(entry);
            summary.Add(outcome, entry.Base64EncodedData.Length);
            if (outcome.Error is not null) _log.RecordFailed(request.InvocationId, record.RecordId, outcome.Error);
        }

        summary.ResponseBytes = used;
        summary.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _log.Batch(request.InvocationId, summary);
        return response;
    }

    public void Dispose() => _records.Dispose();

    private static KinesisFirehoseResponse.FirehoseRecord ToResponseRecord(KinesisFirehoseEvent.FirehoseRecord record, RecordOutcome outcome)
    {
        var entry = new KinesisFirehoseResponse.FirehoseRecord { RecordId = record.RecordId, Result = outcome.Result };
        if (outcome.Result == KinesisFirehoseResponse.TransformedStateProcessingFailed)
        {
            entry.Base64EncodedData = record.Base64EncodedData;
        }
        else if (outcome.Result == KinesisFirehoseResponse.TransformedStateOk)
        {
            entry.Base64EncodedData = Convert.ToBase64String(outcome.Output.Span);
            var keys = new Dictionary<string, string>(outcome.PartitionKeys!.Length);
            foreach (var (key, value) in outcome.PartitionKeys) keys.Add(key, value);
            entry.Metadata = new KinesisFirehoseResponse.FirehoseRecordMetadata { PartitionKeys = keys };
        }

        return entry;
    }
}
