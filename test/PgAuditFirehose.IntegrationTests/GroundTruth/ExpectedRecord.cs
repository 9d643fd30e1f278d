using System.Globalization;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.IntegrationTests.GroundTruth;

/// <summary>Where a record's CloudWatch Logs fields come from; null for records of a log file.</summary>
internal sealed record RecordSource(string LogGroup, string LogStream, string AccountId, string DbIdentifier, string EventId, long EventTimestamp);

/// <summary>
/// The record a csvlog row must become, column by column, worked out here without the library: the
/// AUDIT CSV is read with <see cref="Rfc4180"/>. Values are string, long, string[] or null.
/// </summary>
internal static class ExpectedRecord
{
    private static readonly string[] ParameterMarkers = ["<none>", "<not logged>", "<previously logged>"];

    /// <summary>Only the columns <paramref name="logLinePrefix"/> carries are expected from the prefix; the others are null.</summary>
    public static Dictionary<string, object?> From(CsvLogRow row, string logLinePrefix, RecordSource? source)
    {
        bool Has(string escape) => logLinePrefix.Contains(escape, StringComparison.Ordinal);
        var milliseconds = Has("%m");
        var audit = Rfc4180.ReadSingleRecord(row.Message["AUDIT: ".Length..]);
        if (audit.Count is not (9 or 10)) throw new FormatException($"{row.Label}: the AUDIT CSV has {audit.Count} fields");
        string Text(int i) => audit[i] ?? "";
        string? TextOrNull(int i) => string.IsNullOrEmpty(audit[i]) ? null : audit[i];

        var (host, port) = SplitConnection(row.ConnectionFrom);
        return new Dictionary<string, object?>
        {
            [AuditColumns.LogTime.Name] = Has("%m") || Has("%t") ? IsoTime(row.LogTime, milliseconds) : null,
            [AuditColumns.RemoteHost.Name] = Has("%r") || Has("%h") ? host : null,
            [AuditColumns.RemotePort.Name] = Has("%r") ? port : null,
            [AuditColumns.UserName.Name] = Has("%u") ? row.UserName : null,
            [AuditColumns.DatabaseName.Name] = Has("%d") ? row.DatabaseName : null,
            [AuditColumns.ProcessId.Name] = Has("%p") ? row.ProcessId : null,
            [AuditColumns.Severity.Name] = row.Severity,
            [AuditColumns.AuditType.Name] = Text(0),
            [AuditColumns.StatementId.Name] = long.Parse(Text(1), CultureInfo.InvariantCulture),
            [AuditColumns.SubstatementId.Name] = long.Parse(Text(2), CultureInfo.InvariantCulture),
            [AuditColumns.Class.Name] = Text(3),
            [AuditColumns.Command.Name] = Text(4),
            [AuditColumns.ObjectType.Name] = TextOrNull(5),
            [AuditColumns.ObjectName.Name] = TextOrNull(6),
            [AuditColumns.Statement.Name] = Text(7),
            [AuditColumns.Parameter.Name] = Text(8),
            [AuditColumns.Parameters.Name] = ParameterMarkers.Contains(Text(8)) ? null : Rfc4180.ReadSingleRecord(Text(8)).Select(v => v ?? "").ToArray(),
            [AuditColumns.Rows.Name] = audit.Count == 10 && !string.IsNullOrEmpty(audit[9]) ? long.Parse(audit[9]!, CultureInfo.InvariantCulture) : null,
            [AuditColumns.LogGroup.Name] = source?.LogGroup,
            [AuditColumns.LogStream.Name] = source?.LogStream,
            [AuditColumns.AccountId.Name] = source?.AccountId,
            [AuditColumns.DbIdentifier.Name] = source?.DbIdentifier,
            [AuditColumns.LogEventId.Name] = source?.EventId,
            [AuditColumns.LogEventTimestamp.Name] = source?.EventTimestamp,
            [AuditColumns.RawMessage.Name] = null,
            [AuditColumns.ParseError.Name] = null,
            [AuditColumns.RecordType.Name] = "AUDIT",
            [AuditColumns.Message.Name] = null,
            [AuditColumns.Detail.Name] = null,
            [AuditColumns.Hint.Name] = null,
            [AuditColumns.Context.Name] = null,
            [AuditColumns.SqlState.Name] = null,
            [AuditColumns.ApplicationName.Name] = null,
            [AuditColumns.SessionDurationMs.Name] = null,
            // The workloads hold no secret pgAudit left in clear (their role passwords it redacted itself).
            [AuditColumns.Redacted.Name] = null,
        };
    }

    /// <summary>csvlog's <c>2026-11-25 10:45:17.566 UTC</c> as the record writes it.</summary>
    public static string IsoTime(string csvTime, bool milliseconds)
    {
        if (!csvTime.EndsWith(" UTC", StringComparison.Ordinal)) throw new FormatException($"log_time '{csvTime}' is not UTC");
        var time = DateTime.ParseExact(csvTime[..^4], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return time.ToString(milliseconds ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    // csvlog writes host:port (IPv6 has colons of its own, so the port follows the last one), or [local].
    public static (string? Host, long? Port) SplitConnection(string? connection)
    {
        if (string.IsNullOrEmpty(connection)) return (null, null);
        if (connection == "[local]") return (connection, null);
        var colon = connection.LastIndexOf(':');
        return (connection[..colon], long.Parse(connection[(colon + 1)..], CultureInfo.InvariantCulture));
    }
}
