namespace PgAuditFirehose.Firehose;

/// <summary>A record's output would pass what the function's memory allows one record (<see cref="OutputBuffer.Limit"/>).</summary>
public sealed class OutputLimitException : Exception
{
    public OutputLimitException() { }

    public OutputLimitException(string message) : base(message) { }

    public OutputLimitException(string message, Exception innerException) : base(message, innerException) { }

    public OutputLimitException(int limit) : base($"its output passes {limit} bytes, which the function's memory allows a record (AWS_LAMBDA_FUNCTION_MEMORY_SIZE; MAX_INFLATED_BYTES sets the cap it follows)") { }
}
