using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>
/// Turns a record's decoded bytes into a <see cref="LogEnvelope"/>, whichever of the three shapes
/// Firehose delivered: gzip'd envelope, plain JSON envelope, or extracted message text.
/// </summary>
internal sealed class EnvelopeDecoder(int maxInflatedBytes)
{
    private readonly GzipInflater _inflater = new(maxInflatedBytes);

    /// <summary>Fills <paramref name="envelope"/>; returns null, or why the data is not usable.</summary>
    public string? Decode(byte[] data, int length, LogEnvelope envelope)
    {
        envelope.Clear();
        if (length == 0) return "the record's data is empty";

        ReadOnlySpan<byte> json;
        byte[] buffer;
        // Only the record's own bytes: the buffer is reused and holds the last record's beyond them.
        if (GzipInflater.IsGzip(data.AsSpan(0, length)))
        {
            envelope.Shape = RecordShape.GzipEnvelope;
            var error = _inflater.TryInflate(data, length, out var inflated);
            if (error is not null) return error;
            json = inflated.Span;
            buffer = _inflater.Buffer;
            if (!StartsWithBrace(json)) return "the gzip data is not a CloudWatch Logs envelope (it does not start with '{')";
        }
        else if (StartsWithBrace(data.AsSpan(0, length)))
        {
            envelope.Shape = RecordShape.JsonEnvelope;
            json = data.AsSpan(0, length);
            buffer = data;
        }
        else
        {
            envelope.Shape = RecordShape.RawText;
            return ReadRawText(data.AsSpan(0, length), envelope);
        }

        // Unescaped text is never longer than the JSON it is in.
        envelope.TextLimit = json.Length;
        if (EnvelopeScanner.TryRead(buffer, json.Length, envelope, out var sawEvents)) return Check(envelope, sawEvents);

        // Declined: read it again, slowly, for the error (or for the rare envelope the scanner leaves alone).
        envelope.Clear();
        envelope.TextLimit = json.Length;
        return ReadWithJsonReader(json, envelope);
    }

    /// <summary>Reads the envelope with Utf8JsonReader: every case the scanner declines, and the tests' reference.</summary>
    internal static string? ReadWithJsonReader(ReadOnlySpan<byte> json, LogEnvelope envelope)
    {
        try
        {
            return ReadEnvelope(json, envelope);
        }
        catch (JsonException e)
        {
            return $"the envelope is not valid JSON at byte {e.BytePositionInLine}: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            return $"the envelope is not valid JSON: {e.Message}";
        }
    }

    private static bool StartsWithBrace(ReadOnlySpan<byte> data)
    {
        // A loop, not TrimStart: that generic is JIT work at start-up.
        var i = 0;
        while (i < data.Length && data[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i < data.Length && data[i] == (byte)'{';
    }

    private static string? ReadRawText(ReadOnlySpan<byte> text, LogEnvelope envelope)
    {
        if (!Utf8.IsValid(text)) return $"the record's text is not valid UTF-8 (first bad byte at offset {InvalidUtf8Offset(text)})";
        text.CopyTo(envelope.Reserve(text.Length));
        envelope.AddEvent(new LogEvent(0, 0, null, envelope.Commit(text.Length), text.Length));
        return null;
    }

    private static string? ReadEnvelope(ReadOnlySpan<byte> json, LogEnvelope envelope)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) return "the envelope is not a JSON object";
        var sawEvents = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("messageType"u8)) envelope.MessageType = ReadString(ref reader);
            else if (reader.ValueTextEquals("owner"u8)) envelope.Owner = ReadString(ref reader);
            else if (reader.ValueTextEquals("logGroup"u8)) envelope.LogGroup = ReadString(ref reader);
            else if (reader.ValueTextEquals("logStream"u8)) envelope.LogStream = ReadString(ref reader);
            else if (reader.ValueTextEquals("logEvents"u8))
            {
                sawEvents = true;
                var error = ReadEvents(ref reader, envelope);
                if (error is not null) return error;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Reading past the end checks that nothing but white space follows the object.
        while (reader.Read()) { }
        return Check(envelope, sawEvents);
    }

    /// <summary>What makes a well-formed JSON object a usable envelope, whichever way it was read.</summary>
    internal static string? Check(LogEnvelope envelope, bool sawEvents)
    {
        if (envelope.MessageType is null) return "the JSON is not a CloudWatch Logs envelope: it has no messageType";
        if (envelope.MessageType is not (LogEnvelope.DataMessage or LogEnvelope.ControlMessage))
        {
            return $"the envelope's messageType '{envelope.MessageType}' is neither DATA_MESSAGE nor CONTROL_MESSAGE";
        }

        return sawEvents || envelope.IsControlMessage ? null : "the DATA_MESSAGE envelope has no logEvents";
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
    }

    private static string? ReadEvents(ref Utf8JsonReader reader, LogEnvelope envelope)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray) return "the envelope's logEvents is not an array";
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int idStart = 0, idLength = 0, messageStart = 0, messageLength = -1;
            bool idPlain = true, messagePlain = false;
            long? timestamp = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    idLength = CopyText(ref reader, envelope, out idStart);
                    idPlain = !reader.ValueIsEscaped && JsonText.LineSeparatorIndex(reader.ValueSpan) < 0;
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    reader.Read();
                    timestamp = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var t) ? t : null;
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) return $"log event {envelope.EventCount} has a message that is not a string";
                    try
                    {
                        messageLength = CopyText(ref reader, envelope, out messageStart);
                        messagePlain = !reader.ValueIsEscaped && JsonText.LineSeparatorIndex(reader.ValueSpan) < 0;
                    }
                    catch (InvalidOperationException)
                    {
                        return $"log event {envelope.EventCount} has a message that is not valid UTF-8";
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (messageLength < 0) return $"log event {envelope.EventCount} has no message";
            var message = new LogEvent(idStart, idLength, timestamp, messageStart, messageLength, idPlain, messagePlain, MessagePlainLength: messagePlain ? messageLength : 0);
            envelope.AddEvent(message);
        }

        return reader.TokenType == JsonTokenType.EndArray ? null : "the envelope's logEvents holds something other than objects";
    }

    private static int CopyText(ref Utf8JsonReader reader, LogEnvelope envelope, out int start)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            start = 0;
            return 0;
        }

        // Unescaping never makes the text longer than its escaped form; CopyString also checks the UTF-8.
        var length = reader.CopyString(envelope.Reserve(reader.ValueSpan.Length));
        start = envelope.Commit(length);
        return length;
    }

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> text)
    {
        var status = Utf8.ToUtf16(text, new char[text.Length], out var read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.InvalidData ? read : text.Length;
    }
}
