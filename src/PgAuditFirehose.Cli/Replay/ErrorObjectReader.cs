using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>
/// Reads the JSON lines of one Firehose error object (gzip'd or not: the destination's compression may
/// apply) into failed records; a line that is not one comes back malformed, never thrown.
/// </summary>
internal static class ErrorObjectReader
{
    /// <param name="content">The whole object, seekable: the first two bytes say whether it is gzip'd.</param>
    public static IEnumerable<ErrorObjectLine> Read(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Span<byte> magic = stackalloc byte[2];
        var gzip = content.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        content.Position = 0;
        return Lines(gzip ? new GZipStream(content, CompressionMode.Decompress) : content);
    }

    public static ErrorObjectLine Parse(int number, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return new ErrorObjectLine(number, null, $"not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ErrorObjectLine(number, null, $"a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an error record object");
            }

            if (!root.TryGetProperty("rawData", out var raw) || raw.ValueKind != JsonValueKind.String)
            {
                return new ErrorObjectLine(number, null, "no rawData string: not a Firehose error record");
            }

            var data = raw.GetString()!;
            if (data.Length == 0 || !Base64.IsValid(data)) return new ErrorObjectLine(number, null, "rawData is not base64");
            long? arrival = root.TryGetProperty("arrivalTimestamp", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetInt64(out var ms) ? ms : null;
            return new ErrorObjectLine(number, new FailedRecord(number, data, arrival, Text(root, "errorCode"), Text(root, "errorMessage")), null);
        }
    }

    private static IEnumerable<ErrorObjectLine> Lines(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line)) yield return Parse(number, line);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
