using System.CommandLine;
using Npgsql;
using PgAuditFirehose.Cli.Settings;

namespace PgAuditFirehose.Cli.Db;

/// <summary>
/// <c>db check</c>: one ✓/✗ line per thing pgAudit and the Lambda need, with what to do; exit code 0 only
/// when all of it is in place (1 when not, 2 when the database cannot be reached).
/// </summary>
internal static class DbCheckCommand
{
    public static Command Create()
    {
        var connection = DbCommand.ConnectionOption();
        var command = new Command("check", "Check that pgAudit is loaded, installed and configured, and that log_line_prefix and log_timezone match the Lambda's")
        {
            connection,
        };
        // The Lambda's own settings that a server's settings must match.
        var settings = new SettingOptions(command, [CliSettings.LogLinePrefix, CliSettings.LogTimeZone]);
        command.SetAction((r, cancel) => RunAsync(
            r.GetValue(connection), settings.Resolve(r)[CliSettings.LogLinePrefix], settings.Resolve(r)[CliSettings.LogTimeZone], r.InvocationConfiguration.Output, r.InvocationConfiguration.Error, cancel));
        return command;
    }

    private static async Task<int> RunAsync(string? connectionString, string expectedPrefix, string expectedTimeZone, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        await using var session = await DbSession.OpenAsync(connectionString, output, error, cancel).ConfigureAwait(false);
        if (session is null) return 2;

        ServerState state;
        try
        {
            state = await ServerState.ReadAsync(session.Connection, extraRole: null, cancel).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            await error.WriteLineAsync($"error: reading the settings of {session.Settings.Describe()}: {session.Settings.Scrub(e.Message)}").ConfigureAwait(false);
            return 2;
        }

        var mark = session.Output;
        mark.WriteLine($"db check: {session.Settings.Describe()} (PostgreSQL {state.ServerVersion}, connected as {state.User})");
        foreach (var result in DbChecks.Evaluate(state, expectedPrefix, expectedTimeZone)) mark.Write(result);

        mark.WriteLine(mark.Failures == 0
            ? "result: everything pgAudit and the Lambda need is in place" + (mark.Warnings > 0 ? $" ({mark.Warnings} warning{(mark.Warnings == 1 ? "" : "s")})" : "")
            : $"result: {mark.Failures} thing{(mark.Failures == 1 ? "" : "s")} to fix (✗ above) before audit records arrive as they should");
        return mark.Failures == 0 ? 0 : 1;
    }
}
