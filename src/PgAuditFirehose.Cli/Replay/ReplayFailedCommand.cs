using System.CommandLine;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using PgAuditFirehose.Cli.Settings;
using Spectre.Console;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>
/// <c>replay-failed --bucket B</c>: the ProcessingFailed records Firehose left under the error prefix, transformed
/// again and written to the archive. Exit code 0 when all replayed, 1 when some lines were malformed or still
/// fail (reported, left in place), 2 when nothing could be done, 130 when interrupted (run again to resume).
/// </summary>
internal static class ReplayFailedCommand
{
    /// <param name="credentials">Null: the SDK's default chain. Tests pass dummy credentials for the emulator.</param>
    public static Command Create(AWSCredentials? credentials = null)
    {
        var bucket = new Option<string>("--bucket") { Description = "The archive bucket (the stack's ArchiveBucket)", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "Where Firehose writes ProcessingFailed records", DefaultValueFactory = _ => ReplayOptions.DefaultErrorPrefix };
        var since = new Option<string?>("--since") { Description = "Only error objects from this day on, yyyy-MM-dd (their dt= partition, else their last-modified day)" };
        var archive = new Option<string>("--archive-prefix")
        {
            Description = "The delivery stream's S3 Prefix expression ({format} becomes json, csv or parquet-overflow)",
            DefaultValueFactory = _ => ArchivePrefix.TemplateDefault,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and transform, but write and tag nothing" };
        var retry = new Option<bool>("--retry-incomplete") { Description = "Also take error objects an earlier run left incomplete" };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "An S3-compatible endpoint instead of AWS, e.g. http://127.0.0.1:5000 (moto)" };
        var region = new Option<string?>("--region") { Description = "AWS region (default: AWS_REGION / the profile's; us-east-1 with --endpoint-url)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar and no line per replayed object: only problems and the summary" };
        var command = new Command("replay-failed", "Transform the records Firehose could not (its error prefix) again and write them to the archive; safe to run again")
        {
            bucket, prefix, since, archive, dryRun, retry, endpoint, region, quiet,
        };
        // parquet: the stack's OutputFormat; its records are written as JSON under audit/parquet-overflow/ (see Options).
        var settings = new SettingOptions(command, CliSettings.Transformation, new Dictionary<Setting, string[]> { [CliSettings.Format] = ["parquet"] });
        command.SetAction(async (r, cancel) =>
        {
            var output = r.InvocationConfiguration.Output;
            var error = r.InvocationConfiguration.Error;
            var options = Options(r.GetValue(bucket)!, r.GetValue(prefix)!, r.GetValue(since), r.GetValue(archive)!,
                settings.Resolve(r), r.GetValue(dryRun), r.GetValue(retry));
            using var s3 = S3ClientFactory.Create(r.GetValue(endpoint), r.GetValue(region), credentials);
            using var interruption = new Interruption(cancel);
            var progress = !r.GetValue(quiet) && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            return await RunAsync(s3, options with { Quiet = r.GetValue(quiet) }, output, error, progress, interruption.Token).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(IAmazonS3 s3, ReplayOptions options, TextWriter output, TextWriter error, bool progress, CancellationToken cancel, Action<string>? objectFinished = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var console = progress ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }) : null;
        Action<string> say = console is null ? output.WriteLine : line => console.WriteLine(line);
        using var replayer = new FailedRecordReplayer(s3, options, say);
        output.WriteLine($"replay-failed: s3://{options.Bucket}/{options.ErrorPrefix}" +
                         (options.Since is { } s ? $" from {s:yyyy-MM-dd}" : "") +
                         $" → {options.Archive}{(options.DryRun ? " (dry run: nothing is written or tagged)" : "")}");
        IReadOnlyList<S3Object> objects;
        try
        {
            objects = await replayer.ListAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            await error.WriteLineAsync($"error: listing s3://{options.Bucket}/{options.ErrorPrefix}: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        var interrupted = false;
        try
        {
            if (console is null || objects.Count == 0)
            {
                replayer.ObjectFinished = objectFinished;
                await replayer.ReplayAsync(objects, cancel).ConfigureAwait(false);
            }
            else
            {
                var columns = new ProgressColumn[] { new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn() };
                await console.Progress().AutoClear(true).Columns(columns).StartAsync(async context =>
                {
                    var task = context.AddTask($"error objects 0/{objects.Count}", maxValue: objects.Count);
                    replayer.ObjectFinished = key =>
                    {
                        task.Increment(1);
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"error objects {task.Value:F0}/{objects.Count}");
                        objectFinished?.Invoke(key);
                    };
                    await replayer.ReplayAsync(objects, cancel).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            interrupted = true;
        }

        foreach (var line in replayer.Summary.Describe(options.DryRun)) output.WriteLine(line);
        if (interrupted)
        {
            output.WriteLine("interrupted: objects finished so far are marked; run the same command again to continue");
            return 130;
        }

        return replayer.Summary.HasProblems ? 1 : 0;
    }

    private static ReplayOptions Options(string bucket, string prefix, string? since, string archive, SettingOptions.Values settings, bool dryRun, bool retry)
    {
        DateOnly? sinceDay = since is null
            ? null
            : DateOnly.TryParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : throw new UsageException($"--since: '{since}' is not a day (yyyy-MM-dd)");
        var format = settings[CliSettings.Format];
        // Firehose cannot be asked to convert these to Parquet: like the function's overflow objects
        // (template.yaml, Mappings.S3Layout.OverflowDirectory) they go, as JSON, where a JSON table reads them.
        var directory = format == "parquet" ? "parquet-overflow" : format;
        ArchivePrefix archivePrefix;
        try
        {
            archivePrefix = ArchivePrefix.Parse(archive, directory);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        return new ReplayOptions
        {
            Bucket = bucket,
            ErrorPrefix = prefix,
            Since = sinceDay,
            Archive = archivePrefix,
            Transformer = (format == "parquet" ? settings.With(CliSettings.Format, "json") : settings).Transformer(),
            DryRun = dryRun,
            RetryIncomplete = retry,
        };
    }
}
