using System.Text;
using System.Text.Json;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// The Firehose event read straight from its UTF-8 JSON: each record's base64 data stays a slice of
/// the request bytes, so it is decoded once, straight into bytes, and returned as is when it fails.
/// </summary>
internal sealed class FirehoseRequest
{
    private FirehoseRequest(byte[] json, string? invocationId, List<RequestRecord> records)
    {
        Json = json;
        InvocationId = invocationId;
        Records = records;
    }

    public byte[] Json { get; }

    public string? InvocationId { get; }

    public List<RequestRecord> Records { get; }

    public ReadOnlySpan<byte> Data(RequestRecord record) => record.Data ?? Json.AsSpan(record.DataStart, record.DataLength);

    /// <summary>
    /// Reads the whole event into <paramref name="buffer"/>, which grows as needed and is kept for the
    /// next event (a request is megabytes; a fresh array each time costs gen-2 collections); the request
    /// refers into it until then. Throws <see cref="InvalidDataException"/> when it is not a Firehose event.
    /// </summary>
    public static FirehoseRequest Read(Stream input, ref byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(input);
        // One byte to spare, so the end of a stream of known length is seen without growing the buffer.
        if (input.CanSeek && buffer.Length <= input.Length - input.Position) buffer = new byte[input.Length - input.Position + 1];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, Math.Max(64 * 1024, buffer.Length * 2));
            var read = input.Read(buffer, length, buffer.Length - length);
            if (read == 0) break;
            length += read;
        }

        // Nothing on this path names a System.Text.Json type: the scanner's events never load it.
        return RequestScanner.TryRead(buffer.AsSpan(0, length), out var invocationId, out var records)
            ? new FirehoseRequest(buffer, invocationId, records)
            : ReadWithJsonReader(buffer, length);
    }

    /// <summary>Reads the event with Utf8JsonReader: every event the scanner declines, and the tests' reference.</summary>
    internal static FirehoseRequest ReadWithJsonReader(byte[] json, int length)
    {
        try
        {
            return Parse(json, length);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The invocation is not a Firehose transformation event: {e.Message}", e);
        }
    }

    // Strict where the event's shape matters: a value of the wrong kind fails the invocation (Firehose
    // retries it), never a misread that answers for fewer or other records than the request holds.
    private static FirehoseRequest Parse(byte[] json, int length)
    {
        var reader = new Utf8JsonReader(json.AsSpan(0, length));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Invalid("it is not a JSON object");
        string? invocationId = null;
        List<RequestRecord>? records = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("invocationId"u8))
            {
                reader.Read();
                if (IsContainer(reader.TokenType)) throw Invalid("its invocationId is not a string");
                invocationId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("records"u8))
            {
                if (records is not null) throw Invalid("it has more than one records array");
                records = ReadRecords(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject) throw Invalid($"it holds a {reader.TokenType} where a key was expected");
        while (reader.Read()) { }
        return new FirehoseRequest(json, invocationId, records ?? throw Invalid("it has no records array"));
    }

    private static List<RequestRecord> ReadRecords(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray) throw Invalid("its records is not an array");
        var records = new List<RequestRecord>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw Invalid($"record {records.Count} is a {reader.TokenType}, not an object");
            records.Add(ReadRecord(ref reader, records.Count));
        }

        return records;
    }

    private static RequestRecord ReadRecord(ref Utf8JsonReader reader, int index)
    {
        string? id = null;
        long arrival = 0;
        int start = 0, length = 0;
        byte[]? unescaped = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("recordId"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) throw Invalid($"record {index} has a recordId that is not a string");
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("approximateArrivalTimestamp"u8))
            {
                reader.Read();
                if (IsContainer(reader.TokenType)) throw Invalid($"record {index} has an approximateArrivalTimestamp that is not a number");
                arrival = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var t) ? t : 0;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) throw Invalid($"record {index} has data that is not a string");
                if (reader.ValueIsEscaped) unescaped = Encoding.UTF8.GetBytes(reader.GetString()!);
                start = (int)reader.TokenStartIndex + 1;
                length = reader.ValueSpan.Length;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new RequestRecord(id ?? throw Invalid($"record {index} has no recordId"), arrival, start, length, unescaped);
    }

    // An object or array where a scalar belongs: skipping it unread would put the reader out of step.
    private static bool IsContainer(JsonTokenType token) => token is JsonTokenType.StartObject or JsonTokenType.StartArray;

    private static JsonException Invalid(string reason) => new(reason);
}

/// <summary>One record of the request: its id, arrival time and where its base64 data is.</summary>
internal sealed record RequestRecord(string RecordId, long ApproximateArrivalTimestamp, int DataStart, int DataLength, byte[]? Data)
{
    /// <summary>
    /// The bytes the data takes escaped as a JSON string (<see cref="JsonText.EscapedLength"/>). Data the
    /// request held without escapes is its own escaped form: a JSON string's raw text has no quote, backslash
    /// or control character, the only bytes JsonText escapes.
    /// </summary>
    public long EscapedDataLength => Data is null ? DataLength : JsonText.EscapedLength(Data);
}
