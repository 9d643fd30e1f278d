using System.Globalization;
using System.Text;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.IntegrationTests.GroundTruth;

/// <summary>
/// Compares records with what the ground truth says they must be, every column, and keeps a readable
/// account: each differing field with its record, and the two documented, allowed differences.
/// </summary>
internal sealed class RecordComparison(bool milliseconds, bool jsonKeys)
{
    private static readonly string User = AuditColumns.UserName.Name;
    private static readonly string Database = AuditColumns.DatabaseName.Name;
    private static readonly string LogTime = AuditColumns.LogTime.Name;

    // JSON records carry these keys only when a line failed to parse (AUDIT records leave out the server log's columns), redacted only when secrets were replaced.
    private static readonly string[] OnlyOnFailure =
    [
        AuditColumns.RawMessage.Name, AuditColumns.ParseError.Name, AuditColumns.Message.Name, AuditColumns.Detail.Name, AuditColumns.Hint.Name,
        AuditColumns.Context.Name, AuditColumns.SqlState.Name, AuditColumns.ApplicationName.Name, AuditColumns.SessionDurationMs.Name,
        AuditColumns.Redacted.Name,
    ];

    public int Records { get; private set; }
    public int FieldsCompared { get; private set; }
    public int ExpectedMisSplits { get; private set; }
    public List<string> Differences { get; } = [];

    /// <summary>
    /// Documented: a database name that contains '@' is split at its last '@' (the user takes the longest text
    /// that lets the rest of the prefix match), so the user gets <c>user@db-part</c> and the database the rest.
    /// </summary>
    public List<string> MisSplits { get; } = [];

    /// <summary>
    /// Documented: <c>%t</c> is PostgreSQL's time(NULL), read before csvlog's gettimeofday(); just after a second
    /// turns, <c>%t</c> can still show the previous second. Accepted only within 50 ms of the turn.
    /// </summary>
    public List<string> ClockEdges { get; } = [];

    public void Add(string label, CsvLogRow row, IReadOnlyDictionary<string, object?> expected, IReadOnlyDictionary<string, object?> actual, IReadOnlyList<AuditColumn> columns)
    {
        Records++;
        var where = $"{label} <-> {row.Label}, statement {Show(expected[AuditColumns.Statement.Name], 80)}";
        foreach (var key in actual.Keys.Where(k => columns.All(c => c.Name != k))) Differences.Add($"{where}: unexpected key '{key}'");
        if (expected[Database] is string db && db.Contains('@', StringComparison.Ordinal)) ExpectedMisSplits++;

        foreach (var column in columns.Select(c => c.Name))
        {
            FieldsCompared++;
            var present = actual.TryGetValue(column, out var value);
            if (!present && jsonKeys && !OnlyOnFailure.Contains(column))
            {
                Differences.Add($"{where}: key '{column}' is missing");
                continue;
            }

            if (column == Database) continue;
            if (column == User)
            {
                CompareNames(where, expected, actual);
                continue;
            }

            if (Same(expected[column], value)) continue;
            if (column == LogTime && !milliseconds && IsClockEdge(row, value))
            {
                ClockEdges.Add($"{where}: %t {value}, csvlog {row.LogTime}");
                continue;
            }

            Differences.Add($"{where}: {column}: expected {Show(expected[column])}, actual {Show(value)}");
        }
    }

    public string Report()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Records} records, {FieldsCompared} fields compared, {Differences.Count} differences, " +
            $"{MisSplits.Count} documented user@database mis-splits (expected {ExpectedMisSplits}), {ClockEdges.Count} %t clock edges");
        foreach (var d in Differences.Take(200)) text.AppendLine("DIFF " + d);
        if (Differences.Count > 200) text.AppendLine(CultureInfo.InvariantCulture, $"... and {Differences.Count - 200} more");
        foreach (var m in MisSplits.Take(5)) text.AppendLine("mis-split (documented) " + m);
        foreach (var c in ClockEdges) text.AppendLine("clock edge (documented) " + c);
        return text.ToString();
    }

    private void CompareNames(string where, IReadOnlyDictionary<string, object?> expected, IReadOnlyDictionary<string, object?> actual)
    {
        var (user, db) = (expected[User] as string, expected[Database] as string);
        var (actualUser, actualDb) = (actual.GetValueOrDefault(User) as string, actual.GetValueOrDefault(Database) as string);
        if (user == actualUser && db == actualDb) return;
        if (db is not null && db.Contains('@', StringComparison.Ordinal))
        {
            var joined = $"{user}@{db}";
            var at = joined.LastIndexOf('@');
            if (actualUser == joined[..at] && actualDb == joined[(at + 1)..])
            {
                MisSplits.Add($"{where}: user {Show(user)} database {Show(db)} read as user {Show(actualUser)} database {Show(actualDb)}");
                return;
            }
        }

        if (user != actualUser) Differences.Add($"{where}: {User}: expected {Show(user)}, actual {Show(actualUser)}");
        if (db != actualDb) Differences.Add($"{where}: {Database}: expected {Show(db)}, actual {Show(actualDb)}");
    }

    private static bool IsClockEdge(CsvLogRow row, object? actual)
    {
        var truth = DateTime.ParseExact(row.LogTime[..^4], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var previousSecond = truth.AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return truth.Millisecond < 50 && actual as string == previousSecond;
    }

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (string[] x, string[] y) => x.SequenceEqual(y, StringComparer.Ordinal),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (long x, long y) => x == y,
        _ => false,
    };

    private static string Show(object? value, int max = 300) => value switch
    {
        null => "null",
        string s => "\"" + Escape(s.Length > max ? s[..max] + "..." : s) + "\"",
        string[] a => "[" + string.Join(", ", a.Select(v => Show(v, max / 4))) + "]",
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => $"{value} ({value.GetType().Name})",
    };

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
