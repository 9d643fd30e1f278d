namespace PgAuditFirehose.Cli;

/// <summary>A problem with what the user asked for (an option, an argument, a file): one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
