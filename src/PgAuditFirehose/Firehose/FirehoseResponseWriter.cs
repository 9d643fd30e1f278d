using System.Buffers.Text;
using System.Text;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Firehose;

/// <summary>
/// Writes the response JSON into a span of exactly the size <see cref="ResponseBudget"/> counted: Ok
/// data is base64-encoded once, from the output bytes, straight into place; failed records get their
/// original data back unchanged. The keys are constant and the values are escaped by
/// <see cref="JsonText"/>, so the budget counts the same bytes — and no JSON encoder has to be built at start-up.
/// </summary>
internal static class FirehoseResponseWriter
{
    /// <summary>Writes the response into <paramref name="response"/>, which is exactly the size the budget counted.</summary>
    public static void Write(Span<byte> response, FirehoseRequest request, RecordOutcome[] outcomes)
    {
        var w = new SpanWriter(response);
        w.Put("{\"records\":["u8);
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (i > 0) w.Put(","u8);
            WriteEntry(ref w, request, request.Records[i], outcomes[i]);
        }

        w.Put("]}"u8);
        if (w.Written != response.Length) throw new InvalidOperationException($"The response took {w.Written} bytes, not the {response.Length} its budget counted.");
    }

    private static void WriteEntry(ref SpanWriter w, FirehoseRequest request, RequestRecord record, RecordOutcome outcome)
    {
        w.Put("{\"recordId\":"u8);
        w.JsonString(Encoding.UTF8.GetBytes(record.RecordId));
        w.Put(",\"result\":"u8);
        w.JsonString(Encoding.ASCII.GetBytes(outcome.Result));
        w.Put(",\"data\":"u8);
        switch (outcome.Result)
        {
            case KinesisFirehoseResponse.TransformedStateOk:
                w.Put("\""u8);
                Base64.EncodeToUtf8(outcome.Output.Span, w.Free, out _, out var written);
                w.Skip(written);
                w.Put("\",\"metadata\":{\"partitionKeys\":{"u8);
                var first = true;
                foreach (var (key, value) in outcome.PartitionKeys!)
                {
                    if (!first) w.Put(","u8);
                    first = false;
                    w.JsonString(Encoding.UTF8.GetBytes(key));
                    w.Put(":"u8);
                    w.JsonString(Encoding.UTF8.GetBytes(value));
                }

                w.Put("}}"u8);
                break;
            case KinesisFirehoseResponse.TransformedStateProcessingFailed:
                w.JsonString(request.Data(record));
                break;
            default:
                w.Put("\"\""u8);
                break;
        }

        w.Put("}"u8);
    }
}
