using System.Text.Json;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Tests.Support;

/// <summary>
/// Session and error entries a real PostgreSQL 15 + pgaudit wrote with log_connections and log_disconnections
/// on (scripts/capture-session-lines.sh: sessions.log, and sessions.csv of the same run).
/// </summary>
internal static class SessionLog
{
    private static readonly Lazy<IReadOnlyList<string>> All = new(() =>
        [.. SubscriptionEnvelopeWriter.EventsFromLog(File.ReadAllText(RealLog.PathOf("sessions.log")), 0).Select(e => e.Message)]);

    public static IReadOnlyList<string> Entries => All.Value;

    /// <summary>The first entry that contains <paramref name="text"/>; fails when there is none.</summary>
    public static string Entry(string text) =>
        All.Value.FirstOrDefault(e => e.Contains(text, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"no entry with '{text}' in Fixtures/real/sessions.log; regenerate it with scripts/capture-session-lines.sh");

    /// <summary>The entry with <paramref name="text"/> and the <paramref name="following"/> entries after it.</summary>
    public static IReadOnlyList<string> From(string text, int following)
    {
        var at = All.Value.ToList().FindIndex(e => e.Contains(text, StringComparison.Ordinal));
        if (at < 0) throw new InvalidOperationException($"no entry with '{text}' in Fixtures/real/sessions.log");
        return [.. All.Value.Skip(at).Take(following + 1)];
    }

    /// <summary>The entries through the batch transformer, <paramref name="perEnvelope"/> events an envelope; the records and the invocation's log.</summary>
    public static (List<JsonElement> Records, string Log) Json(IEnumerable<string> entries, int perEnvelope = 1000)
    {
        var (response, log) = Pipeline.Run(Event(entries, perEnvelope));
        return ([.. Pipeline.JsonRecords(response)], log);
    }

    /// <summary>The same with the envelopes given: each list of entries one envelope.</summary>
    public static List<JsonElement> Json(IEnumerable<IReadOnlyList<string>> envelopes)
    {
        var request = new KinesisFirehoseEvent { InvocationId = "test-invocation" };
        var i = 0;
        foreach (var envelope in envelopes)
        {
            var events = envelope.Select(m => new SubscriptionEnvelopeWriter.EnvelopeEvent(SubscriptionEnvelopeWriter.EventId(1_764_000_000_000 + i, i), 1_764_000_000_000 + i++, m));
            var json = SubscriptionEnvelopeWriter.DataMessage("123456789012", Pipeline.LogGroup, Pipeline.LogStream, events);
            request.Records.Add(Pipeline.Record($"r{request.Records.Count:D3}", SubscriptionEnvelopeWriter.Gzip(json)));
        }

        return [.. Pipeline.JsonRecords(Pipeline.Run(request).Response)];
    }

    public static List<string> CsvLines(IEnumerable<string> entries, int perEnvelope = 1000)
    {
        var (response, _) = Pipeline.Run(Event(entries, perEnvelope), new TransformerOptions { Format = OutputFormat.Csv });
        return [.. response.Records.Where(r => r.Result == KinesisFirehoseResponse.TransformedStateOk)
            .SelectMany(r => Pipeline.Text(r).Split('\n', StringSplitOptions.RemoveEmptyEntries))];
    }

    private static KinesisFirehoseEvent Event(IEnumerable<string> entries, int perEnvelope) =>
        Pipeline.Event(entries.Select((m, i) => new SubscriptionEnvelopeWriter.EnvelopeEvent(SubscriptionEnvelopeWriter.EventId(1_764_000_000_000 + i, i), 1_764_000_000_000 + i, m)), perEnvelope);
}
