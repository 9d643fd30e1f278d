using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using PgAuditFirehose.Overflow;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// A Firehose batch in, a response out: every record id once, in input order, the whole response
/// within <see cref="TransformerOptions.MaxResponseBytes"/>. Records that fail, or no longer fit,
/// come back ProcessingFailed with their original data, so Firehose keeps them under its error prefix.
/// </summary>
public sealed class BatchTransformer : IDisposable
{
    // Below this much base64 data a second thread costs more than it saves.
    private const int ParallelThresholdBytes = 128 * 1024;

    private readonly TransformerOptions _options;
    private readonly TransformLog _log;
    private readonly OverflowWriter? _overflow;
    private readonly ConcurrentBag<RecordTransformer> _transformers = [];

    /// <param name="overflow">Where output that does not fit in the response goes; without it, such records fail.</param>
    public BatchTransformer(TransformerOptions options, TextWriter log, OverflowWriter? overflow = null)
    {
        _options = options;
        _log = new TransformLog(log, Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "local");
        _overflow = overflow;
    }

    /// <summary>Reads the event JSON from <paramref name="input"/> and writes the response JSON to <paramref name="output"/>.</summary>
    public void Transform(Stream input, Stream output)
    {
        var started = Stopwatch.GetTimestamp();
        var request = FirehoseRequest.Read(input);
        var outcomes = TransformRecords(request);
        var summary = Budget(request, outcomes);
        FirehoseResponseWriter.Write(output, request, outcomes, summary.ResponseBytes);
        summary.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _log.Batch(request.InvocationId, summary);
    }

    /// <summary>The same, for callers that hold the event as objects (the CLI, replay, tests).</summary>
    public KinesisFirehoseResponse Transform(KinesisFirehoseEvent request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var input = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(request, FirehoseJson.Relaxed.KinesisFirehoseEvent));
        using var output = new MemoryStream();
        Transform(input, output);
        output.Position = 0;
        return JsonSerializer.Deserialize(output, FirehoseJson.Relaxed.KinesisFirehoseResponse)!;
    }

    public void Dispose() { }

    // Records are independent: with enough data both cores work, each with its own buffers.
    private RecordOutcome[] TransformRecords(FirehoseRequest request)
    {
        var records = request.Records;
        var outcomes = new RecordOutcome[records.Count];
        var bytes = records.Sum(r => (long)r.DataLength);
        if (records.Count < 2 || bytes < ParallelThresholdBytes || Environment.ProcessorCount < 2)
        {
            var transformer = Rent();
            for (var i = 0; i < records.Count; i++) outcomes[i] = transformer.Transform(request.Data(records[i]));
            _transformers.Add(transformer);
            return outcomes;
        }

        Parallel.For(0, records.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, Rent,
            (i, _, transformer) =>
            {
                outcomes[i] = transformer.Transform(request.Data(records[i]));
                return transformer;
            },
            _transformers.Add);
        return outcomes;
    }

    private RecordTransformer Rent() => _transformers.TryTake(out var t) ? t : new RecordTransformer(_options);

    // Room is kept for every later record to come back failed, so a record admitted now never pushes a later one out.
    private BatchSummary Budget(FirehoseRequest request, RecordOutcome[] outcomes)
    {
        var records = request.Records;
        var summary = new BatchSummary { Records = records.Count };
        var failedSizes = new long[records.Count];
        long reserve = 0;
        for (var i = 0; i < records.Count; i++)
        {
            failedSizes[i] = ResponseBudget.EntrySize(records[i].RecordId, KinesisFirehoseResponse.TransformedStateProcessingFailed, request.Data(records[i]).Length, null);
            reserve += failedSizes[i];
        }

        var used = ResponseBudget.FrameSize(records.Count);
        var overflow = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            var outcome = outcomes[i];
            reserve -= failedSizes[i];
            summary.BytesIn += records[i].DataLength;
            var size = outcome.Error is not null
                ? failedSizes[i]
                : ResponseBudget.EntrySize(records[i].RecordId, outcome.Result, ResponseBudget.Base64Length(outcome.Output.Length), outcome.PartitionKeys);
            if (outcome.Result == KinesisFirehoseResponse.TransformedStateOk && used + size + reserve > _options.MaxResponseBytes && _overflow is not null)
            {
                // Counted as failed until S3 has it: a failed write must still fit.
                overflow.Add(i);
                used += failedSizes[i];
                continue;
            }

            if (outcome.Result == KinesisFirehoseResponse.TransformedStateOk && used + size + reserve > _options.MaxResponseBytes)
            {
                outcome = outcomes[i] = RecordOutcome.Failed(
                    $"its {outcome.Output.Length} bytes of output do not fit in the {_options.MaxResponseBytes}-byte response with the rest of the batch " +
                    "(lower the Firehose processor's BufferSizeInMBs)",
                    outcome.Lines);
                size = failedSizes[i];
                summary.FailedForSize++;
            }

            used += size;
            summary.Add(outcome, outcome.Result == KinesisFirehoseResponse.TransformedStateOk ? ResponseBudget.Base64Length(outcome.Output.Length) : 0);
            if (outcome.Error is not null) _log.RecordFailed(request.InvocationId, records[i].RecordId, outcome.Error);
        }

        summary.ResponseBytes = used + WriteOverflow(request, outcomes, overflow, summary);
        return summary;
    }

    // Returns how the response size changes: each record S3 took comes back Dropped instead of failed.
    private long WriteOverflow(FirehoseRequest request, RecordOutcome[] outcomes, List<int> indexes, BatchSummary summary)
    {
        if (indexes.Count == 0) return 0;
        var items = indexes.Select(i => new OverflowItem(
            _overflow!.KeyFor(request.Records[i].RecordId, outcomes[i].PartitionKeys!, request.Records[i].ApproximateArrivalTimestamp), outcomes[i].Output)).ToList();
        var errors = _overflow!.WriteAll(items);
        long change = 0;
        for (var n = 0; n < indexes.Count; n++)
        {
            var i = indexes[n];
            var record = request.Records[i];
            var failedSize = ResponseBudget.EntrySize(record.RecordId, KinesisFirehoseResponse.TransformedStateProcessingFailed, request.Data(record).Length, null);
            if (errors[n] is { } error)
            {
                outcomes[i] = RecordOutcome.Failed($"its output did not fit in the response and {error}", outcomes[i].Lines);
                _log.RecordFailed(request.InvocationId, record.RecordId, outcomes[i].Error!);
                summary.Add(outcomes[i], 0);
                continue;
            }

            summary.Overflowed++;
            summary.OverflowBytes += outcomes[i].Output.Length;
            outcomes[i] = RecordOutcome.Dropped(outcomes[i].Lines);
            summary.Add(outcomes[i], 0);
            change += ResponseBudget.EntrySize(record.RecordId, KinesisFirehoseResponse.TransformedStateDropped, 0, null) - failedSize;
        }

        return change;
    }
}
