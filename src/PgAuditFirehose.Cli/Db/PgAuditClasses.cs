namespace PgAuditFirehose.Cli.Db;

/// <summary>The statement classes of <c>pgaudit.log</c>: a comma-separated list, '-' in front of a class removes it.</summary>
internal static class PgAuditClasses
{
    private static readonly string[] Known = ["read", "write", "function", "role", "ddl", "misc", "misc_set", "all", "none"];
    private static readonly string[] PerQuery = ["read", "write", "function"];

    /// <summary>The list normalized (trimmed, lower case, ", " between classes), or null with <paramref name="error"/> saying what is wrong.</summary>
    public static string? Normalize(string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        var classes = value.Split(',', StringSplitOptions.TrimEntries);
        foreach (var c in classes)
        {
            var name = c.StartsWith('-') ? c[1..] : c;
            if (!Known.Contains(name.ToLowerInvariant()))
            {
                error = $"'{c}' is not a pgaudit.log class; use a comma-separated list of {string.Join(", ", Known)} ('-' in front removes one)";
                return null;
            }
        }

        error = null;
        return string.Join(", ", classes.Select(c => c.ToLowerInvariant()));
    }

    /// <summary>True when nothing is session-logged: empty, 'none', or only removals.</summary>
    public static bool LogsNothing(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .All(c => c.Equals("none", StringComparison.OrdinalIgnoreCase) || c.StartsWith('-'));

    /// <summary>What the classes log and what that means for volume: READ, WRITE and FUNCTION follow the query traffic.</summary>
    public static string Cost(string value)
    {
        var classes = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.ToLowerInvariant()).ToHashSet();
        var all = classes.Contains("all");
        var logged = Known.Where(c => c is not ("all" or "none") && (classes.Contains(c) || all) && !classes.Contains("-" + c)).ToArray();
        var perQuery = logged.Intersect(PerQuery).ToArray();
        return perQuery.Length > 0
            ? $"logs {string.Join(", ", logged).ToUpperInvariant()}; {string.Join(" and ", perQuery.Select(c => c.ToUpperInvariant()))} log every such statement, so volume (and CloudWatch Logs, Firehose and S3 cost) grows with the workload"
            : $"logs {string.Join(", ", logged).ToUpperInvariant()}: schema, privilege and session changes, a small volume";
    }
}
