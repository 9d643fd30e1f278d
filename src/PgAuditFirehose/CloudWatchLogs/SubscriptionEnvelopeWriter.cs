using System.Globalization;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>
/// Writes CloudWatch Logs subscription envelopes the way the service delivers them to Firehose
/// (gzip'd JSON). For fixtures, tests and <c>make-event</c>; the Lambda only reads them.
/// </summary>
public static class SubscriptionEnvelopeWriter
{
    public const string ControlMessageText = "CWL CONTROL MESSAGE: Checking health of destination Firehose.";

    /// <summary>One log event to put in an envelope.</summary>
    public sealed record EnvelopeEvent(string Id, long Timestamp, string Message);

    /// <summary>The JSON of a DATA_MESSAGE envelope.</summary>
    public static byte[] DataMessage(string owner, string logGroup, string logStream, IEnumerable<EnvelopeEvent> events, string filterName = "pgaudit")
    {
        ArgumentNullException.ThrowIfNull(events);
        return Json(LogEnvelope.DataMessage, owner, logGroup, logStream, [filterName], events);
    }

    /// <summary>The JSON of the CONTROL_MESSAGE CloudWatch Logs sends when a subscription starts.</summary>
    public static byte[] ControlMessage(long timestamp) =>
        Json(LogEnvelope.ControlMessage, "CloudwatchLogs", "", "", [], [new EnvelopeEvent("", timestamp, ControlMessageText)]);

    public static byte[] Gzip(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }

    /// <summary>Cuts a PostgreSQL stderr log into events, each timed by its own prefix when it starts with one.</summary>
    public static IEnumerable<EnvelopeEvent> EventsFromLog(string logText, long fallbackTimestamp)
    {
        ArgumentNullException.ThrowIfNull(logText);
        var bytes = System.Text.Encoding.UTF8.GetBytes(logText);
        var events = new List<EnvelopeEvent>();
        ReadOnlySpan<byte> remaining = bytes;
        while (LogEntries.TryTake(ref remaining, out var entry))
        {
            var message = System.Text.Encoding.UTF8.GetString(entry);
            var timestamp = TimestampOf(message) ?? fallbackTimestamp;
            events.Add(new EnvelopeEvent(EventId(timestamp, events.Count), timestamp, message));
        }

        return events;
    }

    /// <summary>A 56-digit id like CloudWatch Logs', unique within a log and stable for the same input.</summary>
    public static string EventId(long timestamp, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{timestamp:D20}{index:D36}");

    private static long? TimestampOf(string message)
    {
        if (message.Length < 19 || !PrefixShapes.IsDateTime(System.Text.Encoding.ASCII.GetBytes(message[..19]))) return null;
        return DateTime.TryParseExact(message[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds()
            : null;
    }

    private static byte[] Json(string type, string owner, string group, string stream, string[] filters, IEnumerable<EnvelopeEvent> events)
    {
        using var buffer = new MemoryStream();
        // Escaped as CloudWatch Logs does: \" and control characters, not <, >, ' or + (Utf8JsonWriter's default).
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("messageType", type);
            w.WriteString("owner", owner);
            w.WriteString("logGroup", group);
            w.WriteString("logStream", stream);
            w.WriteStartArray("subscriptionFilters");
            foreach (var f in filters) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteStartArray("logEvents");
            foreach (var e in events)
            {
                w.WriteStartObject();
                w.WriteString("id", e.Id);
                w.WriteNumber("timestamp", e.Timestamp);
                w.WriteString("message", e.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
