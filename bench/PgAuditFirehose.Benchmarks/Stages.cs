using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Benchmarks;

/// <summary>
/// Where a batch's time goes, stage by stage, on one core: each stage does the work of the ones before
/// it and its own, so the step from one to the next is what that stage costs. Rounds interleave the
/// stages, the floor and the handler, as <c>--ratio</c> does, so they all see the same machine. A
/// measuring aid for finding the next thing to work on, not a result to report.
/// </summary>
internal static class Stages
{
    private enum Stage { Envelope, Entries, Parse, Write }

    public static void Report(Scenario scenario)
    {
        var bench = new HandlerBenchmarks { Batch = scenario };
        bench.Setup();
        var runner = new Runner([.. scenario.Request.Records.Select(r => System.Text.Encoding.ASCII.GetBytes(r.Base64EncodedData))]);
        var stages = new (string Name, Func<long> Run)[]
        {
            ("floor (base64, gunzip, base64 of as many bytes)", bench.Floor),
            ("base64, gunzip, the envelope read", () => runner.Run(Stage.Envelope)),
            ("+ messages cut into entries", () => runner.Run(Stage.Entries)),
            ("+ audit lines taken apart", () => runner.Run(Stage.Parse)),
            ("+ JSON records written", () => runner.Run(Stage.Write)),
            ("the handler (+ the response and its base64)", bench.HandlerOneCore),
        };

        const int RoundCount = 31, Calls = 10;
        var times = new double[stages.Length][];
        for (var s = 0; s < stages.Length; s++)
        {
            times[s] = new double[RoundCount];
            for (var i = 0; i < 300; i++) stages[s].Run();
        }

        for (var r = 0; r < RoundCount; r++)
        {
            for (var s = 0; s < stages.Length; s++)
            {
                times[s][r] = Rounds.Time(stages[s].Run, Calls) * 1e6 / scenario.Events;
            }
        }

        Console.WriteLine($"{scenario.Name}, one core, ns per log event (median of {RoundCount} rounds):");
        var previous = 0.0;
        for (var s = 0; s < stages.Length; s++)
        {
            var median = Rounds.Median(times[s]);
            var step = s <= 1 ? "" : string.Create(CultureInfo.InvariantCulture, $"  (+{median - previous:F0})");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stages[s].Name,-50} {median,6:F0}{step}"));
            if (s > 0) previous = median;
        }
    }

    // The record transformer's loop (Firehose/RecordTransformer.cs), stopped after a stage; the last row,
    // the handler itself, shows whether the two still agree.
    private sealed class Runner(byte[][] records)
    {
        private readonly EnvelopeDecoder _decoder = new(TransformerOptions.DefaultMaxInflatedBytes);
        private readonly LogEnvelope _envelope = new();
        private readonly AuditLineParser _parser = new(LogLinePrefix.Parse(LogLinePrefix.RdsDefault));
        private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
        private byte[] _decoded = new byte[1 << 20];

        public long Run(Stage stage)
        {
            long lines = 0;
            foreach (var base64 in records)
            {
                if (_decoded.Length < base64.Length) _decoded = new byte[base64.Length];
                Base64.DecodeFromUtf8(base64, _decoded, out _, out var length);
                if (_decoder.Decode(_decoded, length, _envelope) is not null || _envelope.IsControlMessage) continue;
                if (stage == Stage.Envelope)
                {
                    lines += _envelope.EventCount;
                    continue;
                }

                _output.ResetWrittenCount();
                var columns = new RecordColumns(_envelope.LogGroup, _envelope.LogStream, _envelope.Owner, PartitionKeys.DbIdentifierOf(_envelope.LogGroup));
                for (var i = 0; i < _envelope.EventCount; i++) lines += Entries(stage, _envelope.Event(i), columns);
            }

            return lines;
        }

        private long Entries(Stage stage, LogEvent logEvent, RecordColumns columns)
        {
            var source = RecordTransformer.Source(_envelope, logEvent, columns);
            var message = _envelope.Message(logEvent);
            var escaped = logEvent.MessagePlain ? default : _envelope.EscapedMessage(logEvent);
            ref var start = ref MemoryMarshal.GetReference(message);
            long lines = 0;
            while (LogEntries.TryTake(ref message, logEvent.MessagePlain, out var entry))
            {
                lines++;
                if (stage == Stage.Entries) continue;
                if (!RecordTransformer.TryParseEntry(_parser, entry, ref start, escaped, logEvent.MessagePlainLength, out var line) || stage == Stage.Parse) continue;
                AuditJsonWriter.Write(_output, in line, in source);
            }

            return lines;
        }
    }
}
