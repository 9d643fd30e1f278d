using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace PgAuditFirehose.Template.Tests;

/// <summary>
/// The packaged handler, in a fresh process limited as a 256 MB function is (the GC's heap at three
/// quarters of it, AWS_LAMBDA_FUNCTION_MEMORY_SIZE set), answers the worst request Firehose can deliver
/// — records at the 1,000 KiB limit of real audit lines, and records that inflate to 59 MB — for every
/// record, with its peak resident memory within the function's.
/// </summary>
public sealed class MemoryLimitTests(PackagedHandlerTests.Package package) : IClassFixture<PackagedHandlerTests.Package>
{
    private const int FunctionMemoryMB = 256;

    [Fact]
    public void The_worst_legal_request_answers_every_record_within_a_256_MB_function()
    {
        var scratch = Path.Combine(Path.GetTempPath(), "pgaudit-firehose-memory-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var lines = File.ReadLines(RepositoryFiles.RealFixture("workload.log")).Where(l => l.Contains("AUDIT: ", StringComparison.Ordinal)).ToList();
            byte[][] data = [RealLines(lines, 0), RealLines(lines, 1), RealLines(lines, 2), Compressible(lines), Compressible(lines)];
            var request = Path.Combine(scratch, "request.json");
            File.WriteAllBytes(request, Request(data));
            Assert.InRange(new FileInfo(request).Length, 4_000_000, 6_000_000);

            var host = Path.Combine(scratch, "host");
            Run(["build", RepositoryFiles.InRepository("bench", "PgAuditFirehose.ColdStart", "PgAuditFirehose.ColdStart.csproj"), "-c", "Release", "-o", host, "--nologo", "-v", "q"], limited: false);
            var response = Path.Combine(scratch, "response.json");
            var log = Run([Path.Combine(host, "PgAuditFirehose.ColdStart.dll"), package.Directory, "PgAuditFirehose.Lambda::PgAuditFirehose.Lambda.Function::FunctionHandler", request, "--peak-rss", response], limited: true);

            using var answer = JsonDocument.Parse(File.ReadAllBytes(response));
            var records = answer.RootElement.GetProperty("records").EnumerateArray().ToList();
            Assert.Equal(["r0", "r1", "r2", "r3", "r4"], records.Select(r => r.GetProperty("recordId").GetString()));
            // Without an overflow bucket the real records' outputs (about 25 MB each) fail for the response's size;
            // the 59 MB ones fail for the cap the function's memory sets. Each comes back with its data.
            Assert.All(records, r => Assert.Equal("ProcessingFailed", r.GetProperty("result").GetString()));
            Assert.Equal(data.Select(Convert.ToBase64String), records.Select(r => r.GetProperty("data").GetString()));
            Assert.Equal(3, Occurrences(log, "do not fit in the 6000000-byte response"));
            Assert.Equal(2, Occurrences(log, "gzip data inflates to more than the cap of"));
            var peak = log.Split('\n').Last(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            var kilobytes = long.Parse(peak.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.True(kilobytes <= FunctionMemoryMB * 1024L, $"peak RSS {kilobytes} kB in a {FunctionMemoryMB} MB function");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    // Real audit lines, their pids varied, up to the most a record's 1,000 KiB of gzip holds (about 11 MB).
    private static byte[] RealLines(List<string> lines, int seed)
    {
        var random = new Random(seed);
        var events = Enumerable.Range(0, 46_000).Select(n => (Id: (100_000_000_000_000_000m + n).ToString(CultureInfo.InvariantCulture),
            Message: System.Text.RegularExpressions.Regex.Replace(lines[n % lines.Count], @":\[\d+\]:", $":[{10000 + random.Next(4)}]:")));
        var gzip = Gzip(Envelope(events));
        Assert.InRange(gzip.Length, 800 * 1024, 1000 * 1024);
        return gzip;
    }

    // Twenty lines over and over under one id: 59 MB inflated from a few hundred KiB, under the 64 MiB default cap.
    private static byte[] Compressible(List<string> lines)
    {
        var events = new List<(string, string)>();
        for (long size = 0, n = 0; size < 59_000_000; n++)
        {
            events.Add(("1", lines[(int)(n % 20)]));
            size += lines[(int)(n % 20)].Length + 40;
        }

        return Gzip(Envelope(events));
    }

    private static byte[] Envelope(IEnumerable<(string Id, string Message)> events)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("messageType", "DATA_MESSAGE");
            json.WriteString("owner", "123456789012");
            json.WriteString("logGroup", "/aws/rds/cluster/prod-db/postgresql");
            json.WriteString("logStream", "prod-db-instance-1.0");
            json.WriteStartArray("subscriptionFilters");
            json.WriteStringValue("pgaudit");
            json.WriteEndArray();
            json.WriteStartArray("logEvents");
            foreach (var (id, message) in events)
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteNumber("timestamp", 1_700_000_000_000);
                json.WriteString("message", message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize)) gzip.Write(data);
        return output.ToArray();
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static byte[] Request(byte[][] data) => Encoding.UTF8.GetBytes(
        "{\"invocationId\":\"memory\",\"records\":[" +
        string.Join(",", data.Select((d, i) => $"{{\"recordId\":\"r{i}\",\"approximateArrivalTimestamp\":1700000000000,\"data\":\"{Convert.ToBase64String(d)}\"}}")) +
        "]}");

    private static string Run(string[] arguments, bool limited)
    {
        var start = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "memory-limit-test";
        if (limited)
        {
            // What the GC takes for itself under a container's memory limit: three quarters of it.
            start.Environment["DOTNET_GCHeapHardLimit"] = (FunctionMemoryMB * 1024L * 1024 * 3 / 4).ToString("x", CultureInfo.InvariantCulture);
            start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = FunctionMemoryMB.ToString(CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
