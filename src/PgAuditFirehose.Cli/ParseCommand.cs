using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PgAuditFirehose.Cli.Settings;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.LogFiles;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Cli;

/// <summary>
/// <c>parse LOGFILE...</c>: the backfill path. Writes the audit records of PostgreSQL stderr log files
/// (or standard input) as NDJSON or CSV, streaming, with a progress bar on a terminal and a summary on stderr.
/// </summary>
internal static class ParseCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("LOGFILE")
        {
            Description = "PostgreSQL stderr log files (a server's log, an RDS log file), plain or gzip'd; none or '-' reads standard input",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the records here instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar and no summary" };
        var command = new Command("parse", "Write the audit records of PostgreSQL stderr log files as NDJSON or CSV (log_group and other CloudWatch Logs fields are null)")
        {
            files, output, quiet,
        };
        var settings = new SettingOptions(command, CliSettings.LogFiles);
        command.SetAction(r => Run(
            r.GetValue(files) is { Length: > 0 } f ? f : [InputFile.StandardInput],
            settings.Resolve(r).Transformer(), r.GetValue(output), r.GetValue(quiet)));
        return command;
    }

    private static int Run(string[] files, TransformerOptions options, FileInfo? outputFile, bool quiet)
    {
        // Every named file is checked before the output is touched, so a typo costs nothing.
        foreach (var file in files.Where(f => f != InputFile.StandardInput))
        {
            InputFile.MustExist(file);
            var problem = CheckFile(file, options.Prefix);
            if (problem is not null) throw new UsageException($"{file}: {problem}");
        }

        var showProgress = !quiet && !Console.IsErrorRedirected;
        var total = default(LogFileSummary);
        var transformer = new LogFileTransformer(options);
        using var output = outputFile is null ? Console.OpenStandardOutput() : outputFile.Create();
        foreach (var file in files)
        {
            var name = InputFile.NameOf(file);
            var (raw, input) = InputFile.Open(file);
            using var rawStream = raw;
            using var inputStream = input;
            var bar = showProgress ? new ProgressBar(name, raw) : null;
            var started = Stopwatch.GetTimestamp();
            LogFileSummary summary;
            try
            {
                summary = transformer.Transform(input, output, bar is null ? null : bar.Update);
            }
            catch (InvalidDataException e)
            {
                bar?.Clear();
                throw new UsageException($"{name}: {e.Message}");
            }
            catch (IOException e) when (outputFile is null)
            {
                // Standard output closed early (`parse big.log | head`): nothing more to say.
                bar?.Clear();
                Console.Error.WriteLine($"parse: stopped: {e.Message}");
                return 1;
            }

            bar?.Clear();
            if (!quiet) Console.Error.WriteLine($"parse: {name}: {Describe(summary)} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
            total = Add(total, summary);
        }

        if (!quiet && files.Length > 1) Console.Error.WriteLine($"parse: total: {Describe(total)}");
        return 0;
    }

    private static string? CheckFile(string file, LogLinePrefix prefix)
    {
        try
        {
            var (raw, input) = InputFile.Open(file);
            using var rawStream = raw;
            using var inputStream = input;
            var head = new byte[LogFileFormat.HeadLength];
            var length = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return LogFileFormat.Check(head.AsSpan(0, length), prefix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // InvalidDataException (a broken gzip stream) is an IOException too.
            return $"cannot be read: {e.Message}";
        }
    }

    private static string Describe(LogFileSummary s)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{s.Lines:N0} lines, {s.Entries:N0} entries, {s.AuditRecords:N0} audit records, {s.ServerRecords:N0} server log records, {s.Skipped:N0} skipped, {s.ParseFailures:N0} failed to parse");
        return s.FirstFailureLine is { } line
            ? text + string.Create(CultureInfo.InvariantCulture, $" (first at line {line:N0}; see the records' parse_error)")
            : text;
    }

    private static LogFileSummary Add(LogFileSummary a, LogFileSummary b) => new(
        a.Bytes + b.Bytes, a.Lines + b.Lines, a.Entries + b.Entries, a.AuditRecords + b.AuditRecords,
        a.Skipped + b.Skipped, a.ParseFailures + b.ParseFailures, null, a.ServerRecords + b.ServerRecords);

    /// <summary>One line on stderr, redrawn at most ten times a second: how far through the file, records so far, speed.</summary>
    private sealed class ProgressBar(string name, Stream raw)
    {
        private const int BarWidth = 24;
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _drawn;

        public void Update(LogFileSummary s)
        {
            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(_drawn, now).TotalMilliseconds < 100) return;
            _drawn = now;
            var seconds = Math.Max(Stopwatch.GetElapsedTime(_started, now).TotalSeconds, 0.001);
            var speed = string.Create(CultureInfo.InvariantCulture, $"{s.Bytes / seconds / 1e6:F0} MB/s  {s.AuditRecords:N0} records");
            string line;
            if (raw.CanSeek && raw.Length > 0)
            {
                // The raw file's position, so a gzip'd file's bar follows the compressed bytes.
                var fraction = Math.Clamp((double)raw.Position / raw.Length, 0, 1);
                var filled = (int)(fraction * BarWidth);
                line = string.Create(CultureInfo.InvariantCulture,
                    $"{name} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {fraction * 100,3:F0}%  {raw.Position / 1e6:F0}/{raw.Length / 1e6:F0} MB  {speed}");
            }
            else
            {
                line = string.Create(CultureInfo.InvariantCulture, $"{name}: {s.Bytes / 1e6:F0} MB  {speed}");
            }

            Console.Error.Write("\r" + Fit(line) + "\u001b[K");
        }

        public void Clear()
        {
            if (_drawn != 0) Console.Error.Write("\r\u001b[K");
        }

        private static string Fit(string line)
        {
            int width;
            try
            {
                width = Console.WindowWidth;
            }
            catch (IOException)
            {
                width = 80;
            }

            return width > 10 && line.Length >= width ? line[..(width - 1)] : line;
        }
    }
}
