using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;
using PgAuditFirehose.ServerLog;
using PgAuditFirehose.Redaction;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// One Firehose record in, its records out: base64 → envelope → log entries → audit lines and server
/// log records → NDJSON or CSV. Reuses its buffers from record to record; one instance per thread.
/// </summary>
internal sealed class RecordTransformer
{
    private readonly TransformerOptions _options;
    private readonly EnvelopeDecoder _decoder;
    private readonly AuditLineParser _parser;
    private readonly ServerRecordAssembler _serverLog;
    private readonly LogEnvelope _envelope = new();
    private readonly OutputBuffer _output;
    private readonly bool _escapedStatements;
    private readonly LineRedactor? _redactor;
    private byte[] _decoded = new byte[64 * 1024];

    public RecordTransformer(TransformerOptions options)
    {
        _options = options;
        _decoder = new EnvelopeDecoder(options.MaxInflatedBytes);
        // The output of the largest record allowed, at about twice its text, fits; a larger one fails the record.
        _output = new OutputBuffer { Limit = (int)Math.Min(Array.MaxLength, MemoryBudget.OutputBytesPerInflatedByte * (long)options.MaxInflatedBytes) };
        _parser = new AuditLineParser(options.Prefix, options.TimeZone);
        _serverLog = new ServerRecordAssembler(options.Prefix, options.TimeZone, options.Format, options.RedactSecrets);
        _escapedStatements = options.StatementsFromEscapedText && options.Format == OutputFormat.Json;
        _redactor = options.RedactSecrets ? new LineRedactor() : null;
    }

    /// <summary>Transforms one record's base64 data; an Ok outcome's output is a copy the caller owns.</summary>
    public RecordOutcome Transform(ReadOnlySpan<byte> base64Data)
    {
        try
        {
            return TransformCore(base64Data);
        }
        catch (OutputLimitException e)
        {
            _output.LetGo();
            return RecordOutcome.Failed(e.Message);
        }
        catch (OutOfMemoryException)
        {
            // A large array the heap could not give (the budget's estimate fell short): this record fails, not the process.
            _output.LetGo();
            return RecordOutcome.Failed("the record does not fit in the function's memory (raise the function's memory, or lower MAX_INFLATED_BYTES)");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug must cost one record, not the batch: Firehose keeps it under the error prefix.
            return RecordOutcome.Failed($"internal error while transforming the record ({e.GetType().Name}: {e.Message})");
        }
    }

    private RecordOutcome TransformCore(ReadOnlySpan<byte> base64Data)
    {
        if (_decoded.Length < base64Data.Length) _decoded = new byte[Math.Max(base64Data.Length, _decoded.Length * 2)];
        if (Base64.DecodeFromUtf8(base64Data, _decoded, out _, out var length) != OperationStatus.Done)
        {
            return RecordOutcome.Failed("the record's data is not valid base64");
        }

        var error = _decoder.Decode(_decoded, length, _envelope);
        if (error is not null) return RecordOutcome.Failed(error);
        if (_envelope.IsControlMessage) return RecordOutcome.Dropped();

        var dbIdentifier = PartitionKeys.DbIdentifierOf(_envelope.LogGroup);
        var columns = new RecordColumns(_envelope.LogGroup, _envelope.LogStream, _envelope.Owner, dbIdentifier);

        // JSON runs to about twice the log text (the keys and source columns on every line).
        _output.Start(2 * _envelope.TextLength);
        var lines = default(LineCounts);
        _serverLog.Start(columns);
        for (var i = 0; i < _envelope.EventCount; i++)
        {
            var logEvent = _envelope.Event(i);
            var source = Source(_envelope, logEvent, columns);
            var escaped = _escapedStatements && !logEvent.MessagePlain ? _envelope.EscapedMessage(logEvent) : default;
            lines += WriteEntries(_envelope.Message(logEvent), escaped, logEvent.MessagePlainLength, logEvent.MessagePlain, in source);
        }

        _serverLog.End(_output);
        lines += new LineCounts(0, _serverLog.Skipped, 0, _serverLog.Records);
        if (lines.AuditLines == 0 && lines.ServerRecords == 0)
        {
            _output.LetGo();
            return RecordOutcome.Dropped(lines);
        }

        var written = _output.WrittenCount;
        var array = _output.Detach(out var pooled);
        return new RecordOutcome(
            KinesisFirehoseResponse.TransformedStateOk,
            array.AsMemory(0, written),
            PartitionKeys.For(dbIdentifier, _envelope.Owner, _envelope.LogStream),
            null,
            lines) { Rented = pooled ? array : null };
    }

    // escaped: the message as the JSON wrote it, when it had escapes and the output is JSON; it goes with
    // the message's first entry only (the parser needs it to start where the entry starts). plainLength:
    // the bytes the message starts with that need no JSON escape, as far as known; plain: the message
    // was written without escapes, so it holds no line break either.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private LineCounts WriteEntries(ReadOnlySpan<byte> message, ReadOnlySpan<byte> escaped, int plainLength, bool plain, scoped in AuditSource source)
    {
        int audit = 0, failed = 0;
        ref var start = ref MemoryMarshal.GetReference(message);
        while (LogEntries.TryTake(ref message, plain, out var entry))
        {
            if (!TryParseEntry(_parser, entry, ref start, escaped, plainLength, out var line))
            {
                // Decided only now that the entry is no audit line: the audit lines' path stays as it was.
                _serverLog.Take(_output, entry, in source);
                continue;
            }

            _serverLog.AuditLine(_output);
            audit++;
            if (line.ParseError is not null) failed++;
            _redactor?.Redact(ref line);
            AuditRecordWriter.Write(_options.Format, _output, in line, in source);
        }

        return new LineCounts(audit, 0, failed);
    }

    /// <summary>Where an event's audit lines came from.</summary>
    internal static AuditSource Source(LogEnvelope envelope, LogEvent logEvent, RecordColumns columns) => new()
    {
        Record = columns,
        LogEventId = envelope.Id(logEvent),
        LogEventTimestamp = logEvent.Timestamp,
        LogEventTimestampText = envelope.TimestampText(logEvent),
        PlainLogEventId = logEvent.IdPlain,
        PlainMessage = logEvent.MessagePlain,
    };

    /// <summary>
    /// Parses one entry of the message that starts at <paramref name="messageStart"/>: the message's
    /// escaped text goes with the entry the message starts with only (the parser needs both to start at
    /// the same place), and of its <paramref name="plainLength"/> plain bytes what lies in the entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParseEntry(
        AuditLineParser parser, ReadOnlySpan<byte> entry, ref byte messageStart, ReadOnlySpan<byte> escaped, int plainLength, out AuditLine line)
    {
        var offset = (int)Unsafe.ByteOffset(ref messageStart, ref MemoryMarshal.GetReference(entry));
        return parser.TryParse(entry, offset == 0 ? escaped : default, Math.Max(0, plainLength - offset), out line);
    }
}
