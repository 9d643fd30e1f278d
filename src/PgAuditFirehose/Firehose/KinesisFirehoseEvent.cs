using System.Text.Json.Serialization;

namespace PgAuditFirehose.Firehose;

/// <summary>What Firehose sends a data-transformation Lambda; named like Amazon.Lambda.KinesisFirehoseEvents.</summary>
public sealed class KinesisFirehoseEvent
{
    [JsonPropertyName("invocationId")]
    public string? InvocationId { get; set; }

    [JsonPropertyName("deliveryStreamArn")]
    public string? DeliveryStreamArn { get; set; }

    [JsonPropertyName("sourceKinesisStreamArn")]
    public string? SourceKinesisStreamArn { get; set; }

    [JsonPropertyName("region")]
    public string? Region { get; set; }

    [JsonPropertyName("records")]
    public IList<FirehoseRecord> Records { get; init; } = [];

    /// <summary>One record: <see cref="Base64EncodedData"/> is a gzip'd CloudWatch Logs envelope, normally.</summary>
    public sealed class FirehoseRecord
    {
        [JsonPropertyName("recordId")]
        public string RecordId { get; set; } = "";

        [JsonPropertyName("approximateArrivalTimestamp")]
        public long ApproximateArrivalTimestamp { get; set; }

        [JsonPropertyName("data")]
        public string Base64EncodedData { get; set; } = "";
    }
}
