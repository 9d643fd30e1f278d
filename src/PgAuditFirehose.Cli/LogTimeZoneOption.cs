using System.CommandLine;

namespace PgAuditFirehose.Cli;

/// <summary><c>--log-timezone</c>, for every command that reads log lines: the server's log_timezone, as LOG_TIMEZONE is the function's.</summary>
internal static class LogTimeZoneOption
{
    public const string Variable = "LOG_TIMEZONE";

    public static Option<string> Create() => new("--log-timezone")
    {
        Description = $"The server's log_timezone, an IANA name such as Asia/Shanghai (default: {Variable}, else UTC, what RDS and Aurora log in)",
        DefaultValueFactory = _ => Default,
    };

    /// <summary><c>LOG_TIMEZONE</c> when set, else UTC.</summary>
    public static string Default => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } zone ? zone : "UTC";
}
