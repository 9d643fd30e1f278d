using PgAuditFirehose.IntegrationTests.Pipeline;
using PgAuditFirehose.IntegrationTests.Server;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.IntegrationTests.GroundTruth;

/// <summary>Pairs output records with the ground truth's audit lines and compares them all.</summary>
internal static class GroundTruthCheck
{
    /// <summary>Handler output: each record names its log event, and so its stderr entry and csvlog row.</summary>
    public static RecordComparison ByEventId(WorkloadRun run, AuditGroundTruth truth, List<Dictionary<string, object?>> records, bool json)
    {
        var comparison = new RecordComparison(run.HasMilliseconds, json);
        var byEventId = truth.Lines.ToDictionary(l => l.Entry.EventId);
        var seen = new HashSet<string>();
        for (var i = 0; i < records.Count; i++)
        {
            // The server log's records are held to the csvlog by SessionGroundTruthTests.
            if (!IsAudit(records[i])) continue;
            var id = records[i].GetValueOrDefault(AuditColumns.LogEventId.Name) as string;
            if (id is null || !byEventId.TryGetValue(id, out var line))
            {
                comparison.Differences.Add($"record {i}: log_event_id {id ?? "null"} is no audit line of the csvlog; record: {string.Join(", ", records[i].Select(kv => $"{kv.Key}={kv.Value}"))}");
                continue;
            }

            if (!seen.Add(id)) comparison.Differences.Add($"record {i}: a second record for log event {id}");
            var source = new RecordSource(FirehoseInvocation.LogGroup, FirehoseInvocation.LogStream, FirehoseInvocation.Owner,
                FirehoseInvocation.DbIdentifier, line.Entry.EventId, line.Entry.Timestamp);
            comparison.Add($"record {i} (log event {line.Entry.Index})", line.Row, ExpectedRecord.From(line.Row, run.LogLinePrefix, source), records[i], Columns(json));
        }

        foreach (var line in truth.Lines.Where(l => !seen.Contains(l.Entry.EventId)))
        {
            comparison.Differences.Add($"{line.Row.Label}: no record for stderr log entry {line.Entry.Index}: {line.Entry.Message[..Math.Min(200, line.Entry.Message.Length)]}");
        }

        return comparison;
    }

    /// <summary>Records of a whole log file, in log order: the i-th record is the i-th audit line.</summary>
    public static RecordComparison InOrder(WorkloadRun run, AuditGroundTruth truth, List<Dictionary<string, object?>> records, bool json, Func<AuditLine, RecordSource?> source)
    {
        var comparison = new RecordComparison(run.HasMilliseconds, json);
        records = [.. records.Where(IsAudit)];
        if (records.Count != truth.Lines.Count)
        {
            comparison.Differences.Add($"{records.Count} records for {truth.Lines.Count} audit lines in the csvlog");
        }

        for (var i = 0; i < Math.Min(records.Count, truth.Lines.Count); i++)
        {
            var line = truth.Lines[i];
            comparison.Add($"record {i} (log entry {line.Entry.Index})", line.Row, ExpectedRecord.From(line.Row, run.LogLinePrefix, source(line)), records[i], Columns(json));
        }

        return comparison;
    }

    public static bool IsAudit(Dictionary<string, object?> record) => record.GetValueOrDefault(AuditColumns.RecordType.Name) as string == "AUDIT";

    private static IReadOnlyList<AuditColumn> Columns(bool json) => json ? AuditColumns.All : AuditColumns.Csv;
}
