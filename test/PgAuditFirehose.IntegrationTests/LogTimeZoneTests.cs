using System.Globalization;
using System.Text;
using System.Text.Json;
using PgAuditFirehose.IntegrationTests.GroundTruth;
using PgAuditFirehose.IntegrationTests.Server;
using PgAuditFirehose.LogFiles;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.IntegrationTests;

/// <summary>
/// A real server logs in one zone after another (ALTER SYSTEM SET log_timezone, reload); each zone's lines,
/// read with LOG_TIMEZONE set to it, get the log_time of the csvlog's row (converted to UTC on its own) and
/// of the test's clock. Read with the default UTC instead, none gets a log_time: never a guessed one.
/// </summary>
public sealed class LogTimeZoneTests
{
    private static readonly string[] Zones = ["Asia/Shanghai", "Asia/Kolkata", "America/Chicago", "Europe/London", "Australia/Adelaide", "UTC"];

    [SkippableFact]
    public void Lines_written_in_each_zone_get_the_csvlogs_time_in_utc()
    {
        var (stderrLog, csvLog, clock) = LogInEveryZone();
        var csvTimes = CsvLogRow.ReadAll(csvLog).Where(r => r.IsAudit && Mark(r.Message) is not null)
            .ToDictionary(r => Mark(r.Message)!, r => r.LogTime);

        foreach (var zone in Zones)
        {
            var record = Records(stderrLog, zone).Single(r => Mark(r.GetProperty("statement").GetString()!) == zone);
            Assert.False(record.TryGetProperty("parse_error", out var error) && error.ValueKind != JsonValueKind.Null, $"{zone}: {error}");
            var logTime = DateTime.Parse(record.GetProperty("log_time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

            Assert.Equal(CsvTimeInUtc(csvTimes[zone], zone), logTime);
            var (before, after) = clock[zone];
            Assert.InRange(logTime, before.AddSeconds(-1), after.AddSeconds(1));
        }
    }

    [SkippableFact]
    public void Lines_of_a_zone_with_an_ambiguous_abbreviation_read_as_utc_keep_the_record_without_log_time()
    {
        var (stderrLog, _, _) = LogInEveryZone();

        foreach (var zone in new[] { "Asia/Shanghai", "Asia/Kolkata", "America/Chicago" })
        {
            var record = Records(stderrLog, "UTC").Single(r => Mark(r.GetProperty("statement").GetString()!) == zone);

            Assert.False(record.TryGetProperty("log_time", out var logTime) && logTime.ValueKind != JsonValueKind.Null);
            Assert.Contains("alone is ambiguous", record.GetProperty("parse_error").GetString(), StringComparison.Ordinal);
            Assert.Equal(zone, Mark(record.GetProperty("statement").GetString()!));
        }
    }

    private static readonly Lazy<(byte[] StderrLog, string CsvLog, Dictionary<string, (DateTime Before, DateTime After)> Clock)> Run = new(WriteLogs);

    private static (byte[], string, Dictionary<string, (DateTime, DateTime)>) LogInEveryZone()
    {
        try
        {
            return Run.Value;
        }
        catch (ServerUnavailableException e)
        {
            if (ServerRuns.IsCi) throw new InvalidOperationException($"CI=true and the test server cannot start: {e.Message}", e);
            Skip.If(true, "No PostgreSQL 15 + pgaudit test server: " + e.Message);
            throw;
        }
    }

    private static (byte[], string, Dictionary<string, (DateTime, DateTime)>) WriteLogs()
    {
        using var server = PgAuditServer.Start(ServerRuns.RdsDefault);
        var clock = new Dictionary<string, (DateTime, DateTime)>();
        foreach (var zone in Zones)
        {
            Psql(server, "-c", $"ALTER SYSTEM SET log_timezone = '{zone}'", "-c", "SELECT pg_reload_conf()");
            // The reload reaches new sessions once the postmaster has read the file: wait until one sees it.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (Psql(server, "-Atc", "SHOW log_timezone").Trim() != zone)
            {
                if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"log_timezone did not become {zone}");
                Thread.Sleep(100);
            }

            var before = DateTime.UtcNow;
            Psql(server, "-c", "SET pgaudit.log = 'read'", "-c", $"SELECT 'zone={zone}'");
            clock[zone] = (before, DateTime.UtcNow);
        }

        server.Stop();
        return (File.ReadAllBytes(server.StderrLogPath), File.ReadAllText(server.CsvLogPath, Encoding.UTF8), clock);
    }

    private static List<JsonElement> Records(byte[] stderrLog, string zone)
    {
        using var output = new MemoryStream();
        new LogFileTransformer(LogLinePrefix.Parse(ServerRuns.RdsDefault), OutputFormat.Json, timeZone: LogTimeZone.Parse(zone))
            .Transform(new MemoryStream(stderrLog), output);
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    // The zone a statement marks, from "SELECT 'zone=Asia/Shanghai'".
    private static string? Mark(string text)
    {
        var at = text.IndexOf("'zone=", StringComparison.Ordinal);
        return at < 0 ? null : text[(at + 6)..text.IndexOf('\'', at + 6)];
    }

    // The csvlog's "2026-12-08 12:00:00.123 CST", read without the code under test: the clock in the zone, to UTC.
    private static DateTime CsvTimeInUtc(string csvTime, string zone)
    {
        var local = DateTime.ParseExact(csvTime[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return TimeZoneInfo.ConvertTimeToUtc(local, TimeZoneInfo.FindSystemTimeZoneById(zone));
    }

    private static string Psql(PgAuditServer server, params string[] arguments)
    {
        var bin = Environment.GetEnvironmentVariable("PGAUDIT_PG_BINDIR") ?? "/usr/lib/postgresql/15/bin";
        var result = PgAuditServer.Run(Path.Combine(bin, "psql"), ["-X", "-v", "ON_ERROR_STOP=1", .. arguments], server.ClientEnvironment());
        if (result.ExitCode != 0) throw new InvalidOperationException($"psql {string.Join(' ', arguments)} failed: {result.Stderr}");
        return result.Stdout;
    }
}
