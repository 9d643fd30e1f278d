using System.CommandLine;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using PgAuditFirehose.Cli.Replay;
using PgAuditFirehose.Cli.Settings;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;
using Spectre.Console;

namespace PgAuditFirehose.Cli.Reprocess;

/// <summary>
/// <c>reprocess --bucket B --since D --until D</c>: Firehose's source-record backup of those days, transformed
/// again and written where the stream writes records. Exit code 0 when all went through, 1 when some records
/// failed or objects could not be read or written (reported), 2 when nothing could be done, 130 when
/// interrupted (run again to resume).
/// </summary>
internal static class ReprocessCommand
{
    /// <param name="credentials">Null: the SDK's default chain. Tests pass dummy credentials for the emulator.</param>
    public static Command Create(AWSCredentials? credentials = null)
    {
        var bucket = new Option<string>("--bucket") { Description = "The archive bucket (the stack's ArchiveBucket)", Required = true };
        var since = new Option<string?>("--since") { Description = "First day to reprocess, yyyy-MM-dd (the backup's dt= folder: UTC arrival day)" };
        var until = new Option<string?>("--until") { Description = "Last day to reprocess, yyyy-MM-dd, inclusive" };
        var prefix = new Option<string>("--backup-prefix") { Description = "Where Firehose writes the source-record backup", DefaultValueFactory = _ => ReprocessOptions.DefaultBackupPrefix };
        var archive = new Option<string>("--archive-prefix")
        {
            Description = "The delivery stream's S3 Prefix expression ({format} becomes json, csv or parquet-overflow)",
            DefaultValueFactory = _ => ArchivePrefix.TemplateDefault,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and transform, but write and tag nothing" };
        var again = new Option<bool>("--again") { Description = "Also take backup objects an earlier run reprocessed (after another fix): the same keys are written again" };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "An S3-compatible endpoint instead of AWS, e.g. http://127.0.0.1:5000 (moto)" };
        var region = new Option<string?>("--region") { Description = "AWS region (default: AWS_REGION / the profile's; us-east-1 with --endpoint-url)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar and no line per backup object: only problems and the summary" };
        var command = new Command("reprocess", "Rebuild audit records from Firehose's source-record backup of some days (after a parser fix or a wrong setting); safe to run again")
        {
            bucket, since, until, prefix, archive, dryRun, again, endpoint, region, quiet,
        };
        // parquet: the stack's OutputFormat; its records are written as JSON under audit/parquet-overflow/ (see Options).
        var settings = new SettingOptions(command, CliSettings.Transformation, new Dictionary<Setting, string[]> { [CliSettings.Format] = ["parquet"] });
        command.SetAction(async (r, cancel) =>
        {
            var output = r.InvocationConfiguration.Output;
            var error = r.InvocationConfiguration.Error;
            var options = Options(r, bucket, since, until, prefix, archive, settings.Resolve(r), error);
            if (options is null) return 2;
            options = options with { DryRun = r.GetValue(dryRun), Again = r.GetValue(again), Quiet = r.GetValue(quiet) };
            using var s3 = S3ClientFactory.Create(r.GetValue(endpoint), r.GetValue(region), credentials);
            using var interruption = new Interruption(cancel);
            var progress = !options.Quiet && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            return await RunAsync(s3, options, output, error, progress, interruption.Token).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(IAmazonS3 s3, ReprocessOptions options, TextWriter output, TextWriter error, bool progress, CancellationToken cancel, Action<string>? objectFinished = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var console = progress ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }) : null;
        Action<string> say = console is null ? output.WriteLine : line => console.WriteLine(line);
        using var reprocessor = new SourceRecordReprocessor(s3, options, say);
        output.WriteLine($"reprocess: s3://{options.Bucket}/{options.BackupPrefix}" +
                         (options.Since is { } s ? $" from {s:yyyy-MM-dd}" : "") + (options.Until is { } u ? $" until {u:yyyy-MM-dd}" : "") +
                         $" → {options.Archive}{(options.DryRun ? " (dry run: nothing is written or tagged)" : "")}");
        IReadOnlyList<S3Object> objects;
        try
        {
            objects = await reprocessor.ListAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            await error.WriteLineAsync($"error: listing s3://{options.Bucket}/{options.BackupPrefix}: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        var interrupted = false;
        try
        {
            if (console is null || objects.Count == 0)
            {
                reprocessor.ObjectFinished = objectFinished;
                await reprocessor.ReprocessAsync(objects, cancel).ConfigureAwait(false);
            }
            else
            {
                var columns = new ProgressColumn[] { new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn() };
                await console.Progress().AutoClear(true).Columns(columns).StartAsync(async context =>
                {
                    var task = context.AddTask($"backup objects 0/{objects.Count}", maxValue: objects.Count);
                    reprocessor.ObjectFinished = key =>
                    {
                        task.Increment(1);
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"backup objects {task.Value:F0}/{objects.Count}");
                        objectFinished?.Invoke(key);
                    };
                    await reprocessor.ReprocessAsync(objects, cancel).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            interrupted = true;
        }

        foreach (var line in reprocessor.Summary.Describe(options.DryRun)) output.WriteLine(line);
        if (interrupted)
        {
            output.WriteLine("interrupted: objects finished so far are marked; run the same command again to continue");
            return 130;
        }

        return reprocessor.Summary.HasProblems ? 1 : 0;
    }

    private static ReprocessOptions? Options(
        ParseResult r, Option<string> bucket, Option<string?> since, Option<string?> until, Option<string> prefix,
        Option<string> archive, SettingOptions.Values settings, TextWriter error)
    {
        try
        {
            var sinceDay = Day("--since", r.GetValue(since));
            var untilDay = Day("--until", r.GetValue(until));
            if (sinceDay > untilDay) throw new FormatException($"--since {sinceDay:yyyy-MM-dd} is after --until {untilDay:yyyy-MM-dd}");
            var backupPrefix = r.GetValue(prefix)!;
            if (backupPrefix.Length > 0 && !backupPrefix.EndsWith('/')) backupPrefix += "/";
            var format = settings[CliSettings.Format];
            // Firehose cannot be asked to convert these to Parquet: like the function's overflow objects
            // (template.yaml, Mappings.S3Layout.OverflowDirectory) they go, as JSON, where a JSON table reads them.
            var directory = format == "parquet" ? "parquet-overflow" : format;
            var archivePrefix = ArchivePrefix.Parse(r.GetValue(archive)!, directory);
            if (backupPrefix.Length == 0 || archivePrefix.ToString().StartsWith(backupPrefix, StringComparison.Ordinal))
            {
                throw new FormatException($"--backup-prefix '{backupPrefix}' would take in the records reprocess writes ('{archivePrefix}')");
            }

            return new ReprocessOptions
            {
                Bucket = r.GetValue(bucket)!,
                BackupPrefix = backupPrefix,
                Since = sinceDay,
                Until = untilDay,
                Archive = archivePrefix,
                Transformer = (format == "parquet" ? settings.With(CliSettings.Format, "json") : settings).Transformer(),
            };
        }
        catch (Exception e) when (e is FormatException or ConfigurationException)
        {
            error.WriteLine($"error: {e.Message}");
            return null;
        }
    }

    private static DateOnly? Day(string option, string? value) =>
        value is null
            ? null
            : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : throw new FormatException($"{option}: '{value}' is not a day (yyyy-MM-dd)");
}
