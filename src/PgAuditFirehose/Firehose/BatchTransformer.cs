using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using PgAuditFirehose.Overflow;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// A Firehose batch in, a response out: every record id once, in input order, the whole response
/// within <see cref="TransformerOptions.MaxResponseBytes"/>. Records that fail, or no longer fit,
/// come back ProcessingFailed with their original data, so Firehose keeps them under its error prefix.
/// </summary>
public sealed class BatchTransformer
{
    // Below this much base64 data a second thread costs more than it saves.
    private const int ParallelThresholdBytes = 128 * 1024;

    private readonly TransformerOptions _options;
    private readonly TransformLog _log;
    private readonly OverflowWriter? _overflow;
    private readonly ConcurrentBag<RecordTransformer> _transformers = [];
    private byte[]? _requestBuffer;
    private byte[]? _responseBuffer;

    /// <param name="overflow">Where output that does not fit in the response goes; without it, such records fail.</param>
    public BatchTransformer(TransformerOptions options, TextWriter log, OverflowWriter? overflow = null)
    {
        _options = options;
        _log = new TransformLog(log, Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "local");
        _overflow = overflow;
    }

    /// <summary>
    /// Reads the event JSON from <paramref name="input"/>; returns the response JSON, as the Lambda hands it
    /// back. Disposing the stream (the Lambda runtime does, once it has sent it) lets the next call reuse its memory.
    /// </summary>
    public Stream Transform(Stream input)
    {
        var started = Stopwatch.GetTimestamp();
        // The buffers are taken, not shared: a second batch at the same time gets fresh ones.
        var requestBuffer = Interlocked.Exchange(ref _requestBuffer, null) ?? [];
        RecordOutcome[]? outcomes = null;
        try
        {
            var request = FirehoseRequest.Read(input, ref requestBuffer);
            outcomes = new RecordOutcome[request.Records.Count];
            var summary = Process(request, outcomes);
            var response = new ResponseStream(ResponseBuffer(summary.ResponseBytes), (int)summary.ResponseBytes, buffer => _responseBuffer = buffer);
            FirehoseResponseWriter.Write(response.Content, request, outcomes);
            summary.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _log.Batch(request.InvocationId, summary);
            return response;
        }
        finally
        {
            if (outcomes is not null)
            {
                foreach (var outcome in outcomes) Release(outcome);
            }

            _requestBuffer = requestBuffer;
        }
    }

    // The last response's buffer when it was given back and is big enough; else a new one, in whole MiB so it is reused.
    private byte[] ResponseBuffer(long size)
    {
        var buffer = Interlocked.Exchange(ref _responseBuffer, null);
        if (buffer is not null && buffer.Length >= size) return buffer;
        const int MiB = 1 << 20;
        // Every byte of the response is written, so the array need not be zeroed first.
        return GC.AllocateUninitializedArray<byte>(checked((int)((size + MiB - 1) / MiB * MiB)));
    }

    /// <summary>Reads the event JSON from <paramref name="input"/> and writes the response JSON to <paramref name="output"/>.</summary>
    public void Transform(Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var response = Transform(input);
        response.CopyTo(output);
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

    /// <summary>
    /// Transforms the records a window at a time and settles each in input order as soon as its turn
    /// comes: it goes into the response, to S3, or back failed. So only outputs bound for the response
    /// stay in memory, however much the batch inflates. Room is kept for every later record to come back
    /// failed, so a record admitted now never pushes a later one out.
    /// </summary>
    private BatchSummary Process(FirehoseRequest request, RecordOutcome[] outcomes)
    {
        var records = request.Records;
        var summary = new BatchSummary { Records = records.Count };
        var failedSizes = new long[records.Count];
        long reserve = 0;
        for (var i = 0; i < records.Count; i++)
        {
            failedSizes[i] = ResponseBudget.EntrySize(records[i].RecordId, KinesisFirehoseResponse.TransformedStateProcessingFailed, records[i].EscapedDataLength, null);
            reserve += failedSizes[i];
        }

        // An answer Lambda would refuse is no answer: failing the invocation keeps the batch for Firehose's retries.
        if (ResponseBudget.FrameSize(records.Count) + reserve > _options.MaxResponseBytes)
        {
            throw new InvalidDataException(
                $"The batch of {records.Count} records cannot be answered within {_options.MaxResponseBytes} bytes even with every record failed " +
                $"({ResponseBudget.FrameSize(records.Count) + reserve} bytes): lower the Firehose processor's BufferSizeInMBs.");
        }

        // Records are independent: with enough data every core works, each with its own buffers.
        long bytes = 0;
        foreach (var r in records) bytes += r.DataLength;
        // A window's outputs are all held until it is settled: no more records than the memory allows.
        var inFlight = Math.Max(1, _options.MaxRecordsInFlight);
        var parallel = records.Count > 1 && bytes >= ParallelThresholdBytes && Math.Min(_options.Parallelism, inFlight) > 1;
        var window = parallel ? Math.Min(_options.Parallelism * 4, inFlight) : 1;
        var used = ResponseBudget.FrameSize(records.Count);
        var overflow = new List<PendingOverflow>();
        for (var start = 0; start < records.Count; start += window)
        {
            var end = Math.Min(records.Count, start + window);
            TransformWindow(request, outcomes, start, end, parallel);
            for (var i = start; i < end; i++)
            {
                reserve -= failedSizes[i];
                summary.BytesIn += records[i].DataLength;
                used += Settle(request, outcomes, i, used + reserve, failedSizes[i], overflow, summary);
            }
        }

        summary.ResponseBytes = used + WriteOverflow(request, outcomes, overflow, summary);
        return summary;
    }

    private void TransformWindow(FirehoseRequest request, RecordOutcome[] outcomes, int start, int end, bool parallel)
    {
        if (!parallel)
        {
            var transformer = Rent();
            for (var i = start; i < end; i++) outcomes[i] = transformer.Transform(request.Data(request.Records[i]));
            _transformers.Add(transformer);
            return;
        }

        Parallel.For(start, end, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(_options.Parallelism, end - start) }, Rent,
            (i, _, transformer) =>
            {
                outcomes[i] = transformer.Transform(request.Data(request.Records[i]));
                return transformer;
            },
            _transformers.Add);
    }

    private RecordTransformer Rent() => _transformers.TryTake(out var t) ? t : new RecordTransformer(_options);

    // Decides record i's place in the response; returns the bytes its entry takes there.
    private long Settle(FirehoseRequest request, RecordOutcome[] outcomes, int i, long committed, long failedSize, List<PendingOverflow> overflow, BatchSummary summary)
    {
        var record = request.Records[i];
        var outcome = outcomes[i];
        var size = outcome.Error is not null
            ? failedSize
            : ResponseBudget.EntrySize(record.RecordId, outcome.Result, ResponseBudget.Base64Length(outcome.Output.Length), outcome.PartitionKeys);
        var fits = committed + size <= _options.MaxResponseBytes;
        if (outcome.Result == KinesisFirehoseResponse.TransformedStateOk && !fits && _overflow is not null)
        {
            // Compressed now, so the raw output can go; counted as failed until S3 has it: a failed write must still fit.
            var key = _overflow.KeyFor(record.RecordId, outcome.PartitionKeys!, record.ApproximateArrivalTimestamp);
            overflow.Add(new PendingOverflow(i, new OverflowItem(key, OverflowWriter.Gzip(outcome.Output.Span)), outcome.Output.Length, failedSize, outcome.Lines));
            Release(outcome);
            outcomes[i] = RecordOutcome.Dropped(outcome.Lines);
            return failedSize;
        }

        if (outcome.Result == KinesisFirehoseResponse.TransformedStateOk && !fits)
        {
            Release(outcome);
            outcome = outcomes[i] = RecordOutcome.Failed(
                $"its {outcome.Output.Length} bytes of output do not fit in the {_options.MaxResponseBytes}-byte response with the rest of the batch " +
                "(lower the Firehose processor's BufferSizeInMBs)",
                outcome.Lines);
            size = failedSize;
            summary.FailedForSize++;
        }

        summary.Add(outcome, outcome.Result == KinesisFirehoseResponse.TransformedStateOk ? ResponseBudget.Base64Length(outcome.Output.Length) : 0);
        if (outcome.Error is not null) _log.RecordFailed(request.InvocationId, record.RecordId, outcome.Error);
        return size;
    }

    private static void Release(RecordOutcome outcome)
    {
        if (outcome.Rented is not null) ArrayPool<byte>.Shared.Return(outcome.Rented);
    }

    // Returns how the response size changes: each record S3 took comes back Dropped instead of failed.
    private long WriteOverflow(FirehoseRequest request, RecordOutcome[] outcomes, List<PendingOverflow> pending, BatchSummary summary)
    {
        if (pending.Count == 0) return 0;
        var errors = _overflow!.WriteAll([.. pending.Select(p => p.Item)]);
        long change = 0;
        for (var n = 0; n < pending.Count; n++)
        {
            var (i, _, outputLength, failedSize, lines) = pending[n];
            var record = request.Records[i];
            if (errors[n] is { } error)
            {
                outcomes[i] = RecordOutcome.Failed($"its output did not fit in the response and {error}", lines);
                _log.RecordFailed(request.InvocationId, record.RecordId, outcomes[i].Error!);
                summary.Add(outcomes[i], 0);
                continue;
            }

            summary.Overflowed++;
            summary.OverflowBytes += outputLength;
            summary.Add(outcomes[i], 0);
            change += ResponseBudget.EntrySize(record.RecordId, KinesisFirehoseResponse.TransformedStateDropped, 0, null) - failedSize;
        }

        return change;
    }

    /// <summary>A record whose output waits, gzip'd, for its S3 write.</summary>
    private sealed record PendingOverflow(int Index, OverflowItem Item, int OutputLength, long FailedSize, LineCounts Lines);
}
