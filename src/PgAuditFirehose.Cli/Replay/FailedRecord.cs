namespace PgAuditFirehose.Cli.Replay;

/// <summary>
/// One line of a Firehose error object: <c>{attemptsMade, arrivalTimestamp, errorCode, errorMessage,
/// attemptEndingTimestamp, rawData, lambdaArn}</c>, where <see cref="RawData"/> is the base64 of the record
/// Firehose got (for this pipeline a gzip'd CloudWatch Logs envelope), exactly as a Lambda event carries it.
/// </summary>
internal sealed record FailedRecord(int Line, string RawData, long? ArrivalTimestamp, string? ErrorCode, string? ErrorMessage);

/// <summary>A line of an error object: a <see cref="Record"/>, or why it is not one (bad JSON, no rawData, rawData not base64).</summary>
internal sealed record ErrorObjectLine(int Line, FailedRecord? Record, string? Malformed);
