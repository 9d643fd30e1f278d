using System.Text.Encodings.Web;
using System.Text.Json;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// Writes the response JSON straight to the output stream: Ok data is base64-encoded once, from the
/// output bytes; failed records get their original base64 back unchanged. <see cref="ResponseBudget"/>
/// counts the same bytes.
/// </summary>
internal static class FirehoseResponseWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Writes the response; <paramref name="size"/> is its exact length from the budget.</summary>
    public static void Write(Stream output, FirehoseRequest request, IReadOnlyList<RecordOutcome> outcomes, long size)
    {
        // One allocation of the right size instead of a MemoryStream doubling its way up to 6 MB.
        if (output is MemoryStream memory && memory.Capacity < memory.Position + size) memory.Capacity = (int)Math.Min(memory.Position + size, int.MaxValue);
        using var w = new Utf8JsonWriter(output, Options);
        WriteRecords(w, request, outcomes);
    }

    private static void WriteRecords(Utf8JsonWriter w, FirehoseRequest request, IReadOnlyList<RecordOutcome> outcomes)
    {
        w.WriteStartObject();
        w.WriteStartArray("records"u8);
        for (var i = 0; i < outcomes.Count; i++)
        {
            var record = request.Records[i];
            var outcome = outcomes[i];
            w.WriteStartObject();
            w.WriteString("recordId"u8, record.RecordId);
            w.WriteString("result"u8, outcome.Result);
            switch (outcome.Result)
            {
                case KinesisFirehoseResponse.TransformedStateOk:
                    w.WriteBase64String("data"u8, outcome.Output.Span);
                    w.WriteStartObject("metadata"u8);
                    w.WriteStartObject("partitionKeys"u8);
                    foreach (var (key, value) in outcome.PartitionKeys!) w.WriteString(key, value);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
                case KinesisFirehoseResponse.TransformedStateProcessingFailed:
                    w.WriteString("data"u8, request.Data(record));
                    break;
                default:
                    w.WriteString("data"u8, ""u8);
                    break;
            }

            w.WriteEndObject();

            // Hands each entry to the stream, so the writer's own buffer stays one entry big.
            w.Flush();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
