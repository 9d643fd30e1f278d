using System.Text.Json.Serialization;

namespace PgAuditFirehose.Firehose;

/// <summary>What a data-transformation Lambda returns: every input record id exactly once, in order.</summary>
public sealed class KinesisFirehoseResponse
{
    public const string TransformedStateOk = "Ok";
    public const string TransformedStateDropped = "Dropped";
    public const string TransformedStateProcessingFailed = "ProcessingFailed";

    [JsonPropertyName("records")]
    public IList<FirehoseRecord> Records { get; init; } = [];

    public sealed class FirehoseRecord
    {
        [JsonPropertyName("recordId")]
        public string RecordId { get; set; } = "";

        /// <summary><see cref="TransformedStateOk"/>, <see cref="TransformedStateDropped"/> or <see cref="TransformedStateProcessingFailed"/>.</summary>
        [JsonPropertyName("result")]
        public string Result { get; set; } = "";

        [JsonPropertyName("data")]
        public string Base64EncodedData { get; set; } = "";

        [JsonPropertyName("metadata")]
        public FirehoseRecordMetadata? Metadata { get; set; }
    }

    public sealed class FirehoseRecordMetadata
    {
        /// <summary>Used by dynamic partitioning as <c>!{partitionKeyFromLambda:KEY}</c>.</summary>
        [JsonPropertyName("partitionKeys")]
        public IDictionary<string, string> PartitionKeys { get; init; } = new Dictionary<string, string>();
    }
}
