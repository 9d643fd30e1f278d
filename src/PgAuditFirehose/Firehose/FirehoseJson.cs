using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgAuditFirehose.Firehose;

/// <summary>Source-generated (reflection-free) serialization of the Firehose contract.</summary>
[JsonSerializable(typeof(KinesisFirehoseEvent))]
[JsonSerializable(typeof(KinesisFirehoseResponse))]
[JsonSerializable(typeof(KinesisFirehoseEvent.FirehoseRecord), TypeInfoPropertyName = "EventRecord")]
[JsonSerializable(typeof(IList<KinesisFirehoseEvent.FirehoseRecord>), TypeInfoPropertyName = "EventRecords")]
[JsonSerializable(typeof(KinesisFirehoseResponse.FirehoseRecord), TypeInfoPropertyName = "ResponseRecord")]
[JsonSerializable(typeof(IList<KinesisFirehoseResponse.FirehoseRecord>), TypeInfoPropertyName = "ResponseRecords")]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class FirehoseJson : JsonSerializerContext
{
    /// <summary>
    /// The options the response is written with; <see cref="ResponseBudget"/> counts bytes the same way.
    /// The relaxed encoder leaves base64's '+' alone instead of writing \u002B.
    /// </summary>
    public static FirehoseJson Relaxed { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
