namespace PgAuditFirehose.Firehose;

/// <summary>A setting the function cannot start with; the message says which and what to use.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException() { }

    public ConfigurationException(string message) : base(message) { }

    public ConfigurationException(string message, Exception inner) : base(message, inner) { }
}
