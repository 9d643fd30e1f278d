using System.Diagnostics;

namespace PgAuditFirehose.Template.Tests;

/// <summary>scripts/test-summary.py, the closing lines of scripts/test.sh: nothing a run skipped or failed goes unsaid.</summary>
public sealed class TestSummaryTests : IDisposable
{
    private readonly DirectoryInfo _results = Directory.CreateTempSubdirectory("pgaudit-summary.");

    [Fact]
    public void The_closing_line_counts_skips_and_failed_checks_and_the_skips_are_listed_with_their_reasons()
    {
        File.WriteAllText(Path.Combine(_results.FullName, "PgAuditFirehose.Cli.Tests.trx"), Trx(
            ("Db.DbCheckTests.A_configured_database_gets_only_ticks", "Passed", null),
            ("Db.DbSetupTests.Setup_run_twice_changes_nothing", "NotExecuted", "pgaudit-server: no postgres binary\nInstall PostgreSQL 15 and pgaudit"),
            ("Replay.ReplayFailedTests.A_second_run_writes_nothing", "Failed", "Assert.Equal() Failure\nExpected: 0")));
        File.WriteAllText(Path.Combine(_results.FullName, "steps.tsv"),
            "build\t0\nPgAuditFirehose.Cli.Tests\t1\ncheck:template\t1\ncheck:lint\t0\n");

        var lines = Summary();

        Assert.Equal("2 passed, 2 failed, 1 skipped", lines[^1]);
        var skipped = lines.IndexOf("skipped (1):");
        Assert.Equal("  Db.DbSetupTests.Setup_run_twice_changes_nothing [PgAuditFirehose.Cli.Tests]", lines[skipped + 1]);
        Assert.Equal("      pgaudit-server: no postgres binary", lines[skipped + 2]);
        Assert.Equal("      Install PostgreSQL 15 and pgaudit", lines[skipped + 3]);
        Assert.Contains("  Replay.ReplayFailedTests.A_second_run_writes_nothing [PgAuditFirehose.Cli.Tests]: Assert.Equal() Failure", lines);
        Assert.Contains("  the step itself [check:template]: exit status 1 (see its output above)", lines);
    }

    [Fact]
    public void A_step_that_failed_without_a_failed_test_is_a_failure()
    {
        File.WriteAllText(Path.Combine(_results.FullName, "steps.tsv"), "build\t1\n");

        Assert.Equal("0 passed, 1 failed, 0 skipped", Summary()[^1]);
    }

    private List<string> Summary()
    {
        var info = new ProcessStartInfo("python3", [RepositoryFiles.InRepository("scripts", "test-summary.py"), _results.FullName])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    // The shape dotnet test's TRX logger writes, with what the summary reads.
    private static string Trx(params (string Name, string Outcome, string? Message)[] results) =>
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
        {string.Concat(results.Select(r => $"""
            <UnitTestResult testName="{r.Name}" outcome="{r.Outcome}">
              {(r.Message is null ? "" : $"<Output><ErrorInfo><Message>{System.Security.SecurityElement.Escape(r.Message)}</Message></ErrorInfo></Output>")}
            </UnitTestResult>
        """))}
          </Results>
        </TestRun>
        """;

    public void Dispose() => _results.Delete(recursive: true);
}
