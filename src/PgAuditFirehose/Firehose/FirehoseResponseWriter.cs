using System.Buffers;
using System.Buffers.Text;
using System.Text;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// Writes the response JSON straight to the output stream: Ok data is base64-encoded once, from the
/// output bytes; failed records get their original data back unchanged. The keys are constant and
/// the values are escaped by <see cref="JsonText"/>, so <see cref="ResponseBudget"/> counts the same
/// bytes — and no JSON encoder has to be built at start-up.
/// </summary>
internal static class FirehoseResponseWriter
{
    /// <summary>Writes the response; <paramref name="size"/> is its exact length from the budget.</summary>
    public static void Write(Stream output, FirehoseRequest request, IReadOnlyList<RecordOutcome> outcomes, long size)
    {
        // One allocation of the right size instead of a MemoryStream doubling its way up to 6 MB.
        if (output is MemoryStream memory && memory.Capacity < memory.Position + size) memory.Capacity = (int)Math.Min(memory.Position + size, int.MaxValue);
        var entry = new ArrayBufferWriter<byte>(64 * 1024);
        output.Write("{\"records\":["u8);
        for (var i = 0; i < outcomes.Count; i++)
        {
            entry.ResetWrittenCount();
            if (i > 0) Put(entry, ","u8);
            WriteEntry(entry, request, request.Records[i], outcomes[i]);
            output.Write(entry.WrittenSpan);
        }

        output.Write("]}"u8);
    }

    private static void WriteEntry(ArrayBufferWriter<byte> w, FirehoseRequest request, RequestRecord record, RecordOutcome outcome)
    {
        Put(w, "{\"recordId\":"u8);
        JsonText.WriteString(w, Encoding.UTF8.GetBytes(record.RecordId));
        Put(w, ",\"result\":"u8);
        JsonText.WriteString(w, Encoding.ASCII.GetBytes(outcome.Result));
        Put(w, ",\"data\":"u8);
        switch (outcome.Result)
        {
            case KinesisFirehoseResponse.TransformedStateOk:
                var data = outcome.Output.Span;
                var span = w.GetSpan(Base64.GetMaxEncodedToUtf8Length(data.Length) + 2);
                span[0] = (byte)'"';
                Base64.EncodeToUtf8(data, span[1..], out _, out var written);
                span[written + 1] = (byte)'"';
                w.Advance(written + 2);
                Put(w, ",\"metadata\":{\"partitionKeys\":{"u8);
                var first = true;
                foreach (var (key, value) in outcome.PartitionKeys!)
                {
                    if (!first) Put(w, ","u8);
                    first = false;
                    JsonText.WriteString(w, Encoding.UTF8.GetBytes(key));
                    Put(w, ":"u8);
                    JsonText.WriteString(w, Encoding.UTF8.GetBytes(value));
                }

                Put(w, "}}"u8);
                break;
            case KinesisFirehoseResponse.TransformedStateProcessingFailed:
                JsonText.WriteString(w, request.Data(record));
                break;
            default:
                Put(w, "\"\""u8);
                break;
        }

        Put(w, "}"u8);
    }

    private static void Put(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(w.GetSpan(bytes.Length));
        w.Advance(bytes.Length);
    }
}
