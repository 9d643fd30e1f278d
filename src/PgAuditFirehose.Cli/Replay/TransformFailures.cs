using System.Text.Json;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>Why the transformer failed records: it says so only in its JSON log lines.</summary>
internal static class TransformFailures
{
    /// <summary>recordId → reason, from the transformer's "record failed" log lines.</summary>
    public static Dictionary<string, string> Reasons(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                using var entry = JsonDocument.Parse(line);
                var root = entry.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("recordId", out var id) && root.TryGetProperty("reason", out var reason))
                {
                    reasons[id.GetString() ?? ""] = reason.GetString() ?? "";
                }
            }
            catch (JsonException)
            {
                // Not one of the function's JSON log lines: nothing to learn from it.
            }
        }

        return reasons;
    }
}
