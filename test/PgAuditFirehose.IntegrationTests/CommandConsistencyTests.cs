using System.IO.Compression;
using System.Text;
using PgAuditFirehose.IntegrationTests.Cli;
using PgAuditFirehose.IntegrationTests.Server;

namespace PgAuditFirehose.IntegrationTests;

/// <summary>
/// One behaviour across the CLI's commands, as a process: every file argument takes a path, '-' and gzip;
/// every setting is its option, else its variable, else its default; the examples --help gives run.
/// </summary>
public sealed class CommandConsistencyTests : IDisposable
{
    private static readonly string SeedLog = Path.Combine(PgAuditServer.RepositoryRoot, "events", "source", "seed-blog.log");
    private static readonly string SeedEvent = Path.Combine(PgAuditServer.RepositoryRoot, "events", "seed-blog.json");
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("pgaudit-cli-consistency.");

    [Fact]
    public void Make_event_reads_a_gzipped_log_and_standard_input_as_it_reads_the_plain_file()
    {
        var plain = CliProcess.Run(["make-event", SeedLog]);
        var gzipped = CliProcess.Run(["make-event", Gzip(SeedLog)]);
        var stdin = CliProcess.Run(["make-event", "-"], stdin: File.ReadAllBytes(SeedLog));
        var gzippedStdin = CliProcess.Run(["make-event", "-"], stdin: File.ReadAllBytes(Gzip(SeedLog)));

        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Contains("\"records\"", plain.Stdout, StringComparison.Ordinal);
        Assert.Equal(plain, gzipped);
        Assert.Equal(plain, stdin);
        Assert.Equal(plain, gzippedStdin);
    }

    [Fact]
    public void Invoke_reads_a_gzipped_event_and_standard_input_as_it_reads_the_plain_file()
    {
        var plain = CliProcess.Run(["invoke", SeedEvent]);
        var gzipped = CliProcess.Run(["invoke", Gzip(SeedEvent)]);
        var stdin = CliProcess.Run(["invoke", "-"], stdin: File.ReadAllBytes(SeedEvent));
        var gzippedStdin = CliProcess.Run(["invoke", "-"], stdin: File.ReadAllBytes(Gzip(SeedEvent)));

        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Equal(plain.Stdout, gzipped.Stdout);
        Assert.Equal(plain.Stdout, stdin.Stdout);
        Assert.Equal(plain.Stdout, gzippedStdin.Stdout);
    }

    [Fact]
    public void Parse_reads_a_gzipped_log_and_standard_input_as_it_reads_the_plain_file()
    {
        var plain = CliProcess.Run(["parse", SeedLog, "-q"]);
        var gzipped = CliProcess.Run(["parse", Gzip(SeedLog), "-q"]);
        var stdin = CliProcess.Run(["parse", "-", "-q"], stdin: File.ReadAllBytes(SeedLog));
        var gzippedStdin = CliProcess.Run(["parse", "-q"], stdin: File.ReadAllBytes(Gzip(SeedLog)));

        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Equal(2, plain.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(plain, gzipped);
        Assert.Equal(plain, stdin);
        Assert.Equal(plain, gzippedStdin);
    }

    [Fact]
    public void Parse_and_invoke_read_OUTPUT_FORMAT_and_their_format_option_wins_over_it()
    {
        var csv = new Dictionary<string, string?> { ["OUTPUT_FORMAT"] = "csv" };

        var parseFromVariable = CliProcess.Run(["parse", SeedLog, "-q"], csv);
        var parseFromOption = CliProcess.Run(["parse", SeedLog, "-q", "--format", "json"], csv);
        var invokeFromVariable = CliProcess.Run(["invoke", SeedEvent, "--decode"], csv);
        var invokeFromOption = CliProcess.Run(["invoke", SeedEvent, "--decode", "--format", "json"], csv);

        Assert.StartsWith("2022-03-25T13:41:29Z,172.31.40.77,53806,postgres,test,", parseFromVariable.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("{\"log_time\":\"2022-03-25T13:41:29Z\"", parseFromOption.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n2022-03-25T13:41:29Z,172.31.40.77,53806,postgres,test,", invokeFromVariable.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n{\"log_time\":\"2022-03-25T13:41:29Z\"", invokeFromOption.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_setting_is_exit_code_2_naming_the_variable_or_the_option_it_came_from()
    {
        var fromVariable = CliProcess.Run(["invoke", SeedEvent], new Dictionary<string, string?> { ["LOG_LINE_PREFIX"] = "%t %Z " });
        var fromOption = CliProcess.Run(["invoke", SeedEvent, "--log-line-prefix", "%t %Z "]);

        Assert.Equal(2, fromVariable.ExitCode);
        Assert.StartsWith("error: LOG_LINE_PREFIX is not valid", fromVariable.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, fromOption.ExitCode);
        Assert.StartsWith("error: --log-line-prefix: ", fromOption.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_examples_the_help_gives_run()
    {
        var help = CliProcess.Run(["invoke", "--help"]).Stdout + CliProcess.Run(["make-event", "--help"]).Stdout;
        var output = Path.Combine(_scratch.FullName, "event.json");

        Assert.Contains("e.g. events/seed-blog.json", help, StringComparison.Ordinal);
        Assert.Contains("e.g. make-event events/source/seed-blog.log -o event.json", help, StringComparison.Ordinal);
        var invoked = CliProcess.Run(["invoke", "events/seed-blog.json"], workingDirectory: PgAuditServer.RepositoryRoot);
        var made = CliProcess.Run(["make-event", "events/source/seed-blog.log", "-o", output], workingDirectory: PgAuditServer.RepositoryRoot);
        Assert.True(invoked.ExitCode == 0, invoked.Stderr);
        Assert.True(made.ExitCode == 0, made.Stderr);
        Assert.True(File.Exists(output));
    }

    private string Gzip(string file)
    {
        var target = Path.Combine(_scratch.FullName, Path.GetFileName(file) + ".gz");
        using (var output = File.Create(target))
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(File.ReadAllBytes(file));
        }

        return target;
    }

    public void Dispose() => _scratch.Delete(recursive: true);
}
