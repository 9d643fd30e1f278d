using System.CommandLine;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Cli;

/// <summary>
/// <c>--redact-secrets true|false</c> for the commands that transform lines: as REDACT_SECRETS, which it
/// overrides; without either, secrets are redacted (docs/redaction.md).
/// </summary>
internal static class RedactSecretsOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--redact-secrets")
        {
            Description = "Replace secrets (passwords, keys, connection-string passwords) in the records' text with <REDACTED>: true or false (default: REDACT_SECRETS, else true)",
        };
        option.HelpName = "true|false";
        return option;
    }

    /// <summary>The option's value, else REDACT_SECRETS's, else true; throws <see cref="ConfigurationException"/> (a usage error) for a bad value of either.</summary>
    public static bool Resolve(string? value)
    {
        if (value is not null) return Parse(value);
        var variable = Environment.GetEnvironmentVariable("REDACT_SECRETS");
        if (string.IsNullOrEmpty(variable)) return true;
        return TransformerOptions.ParseRedactSecrets(variable)
            ?? throw new ConfigurationException($"REDACT_SECRETS='{variable}' is not valid: use 'true' or 'false'.");
    }

    /// <summary>The options with the option's value over REDACT_SECRETS's, when it was given.</summary>
    public static TransformerOptions Apply(TransformerOptions options, string? value) =>
        value is null ? options : options with { RedactSecrets = Parse(value) };

    private static bool Parse(string value) => TransformerOptions.ParseRedactSecrets(value)
        ?? throw new ConfigurationException($"--redact-secrets '{value}' is not valid: use true or false.");
}
