using System.CommandLine;
using PgAuditFirehose.Cli.Settings;

namespace PgAuditFirehose.Cli.Tests.CommandLine;

/// <summary>Every setting: one option, one environment variable, the same precedence in every command (option, variable, default).</summary>
public sealed class SettingsTests
{
    public static TheoryData<string> TransformingCommands => ["invoke", "parse", "replay-failed", "reprocess"];

    [Theory]
    [MemberData(nameof(TransformingCommands))]
    public void Every_transforming_command_takes_every_setting_by_its_one_option_name(string name)
    {
        var command = Tool.Create().Subcommands.Single(c => c.Name == name);

        var settings = name == "parse" ? CliSettings.LogFiles : CliSettings.Transformation;
        Assert.All(settings, setting => Assert.Contains(command.Options, o => o.Name == setting.Option));
    }

    [Fact]
    public void Parse_offers_no_inflation_cap_since_it_reads_log_files_as_streams()
    {
        var parse = Tool.Create().Subcommands.Single(c => c.Name == "parse");

        Assert.DoesNotContain(parse.Options, o => o.Name == CliSettings.MaxInflatedBytes.Option);
    }

    [Fact]
    public void Db_check_takes_the_log_line_prefix_setting_too()
    {
        var check = Tool.Create().Subcommands.Single(c => c.Name == "db").Subcommands.Single(c => c.Name == "check");

        Assert.Contains(check.Options, o => o.Name == CliSettings.LogLinePrefix.Option);
    }

    [Fact]
    public void Option_and_variable_names_are_each_used_once()
    {
        Assert.Equal(CliSettings.Transformation.Count, CliSettings.Transformation.Select(s => s.Option).Distinct().Count());
        Assert.Equal(CliSettings.Transformation.Count, CliSettings.Transformation.Select(s => s.Variable).Distinct().Count());
    }

    [Fact]
    public void An_option_wins_over_its_variable_and_a_variable_over_the_default()
    {
        foreach (var setting in CliSettings.Transformation)
        {
            var fromOption = Value(setting, ["--x", setting.Option, Sample(setting, 0)], Sample(setting, 1));
            var fromVariable = Value(setting, [], Sample(setting, 1));
            var fromDefault = Value(setting, [], null);

            Assert.Equal(Sample(setting, 0), fromOption);
            Assert.Equal(Sample(setting, 1), fromVariable);
            Assert.Equal(setting.Default, fromDefault);
        }
    }

    [Fact]
    public void Resolved_settings_reach_the_transformation_as_the_Lambda_reads_its_environment()
    {
        var options = Resolve(["--format", "csv", "--log-line-prefix", "%m [%p] "], new Dictionary<string, string> { ["MAX_INFLATED_BYTES"] = "4096" }).Transformer();

        Assert.Equal(Records.OutputFormat.Csv, options.Format);
        Assert.Equal(PgAudit.LogLinePrefix.Parse("%m [%p] ").ToString(), options.Prefix.ToString());
        Assert.Equal(4096, options.MaxInflatedBytes);
    }

    [Fact]
    public void A_bad_value_is_reported_under_the_name_it_was_given_by()
    {
        var fromOption = Assert.Throws<UsageException>(() => Resolve(["--max-inflated-bytes", "12"], []).Transformer());
        var fromVariable = Assert.Throws<UsageException>(() => Resolve([], new Dictionary<string, string> { ["MAX_INFLATED_BYTES"] = "12" }).Transformer());

        Assert.StartsWith("--max-inflated-bytes='12'", fromOption.Message, StringComparison.Ordinal);
        Assert.StartsWith("MAX_INFLATED_BYTES='12'", fromVariable.Message, StringComparison.Ordinal);
    }

    // Two distinct values each setting accepts.
    private static string Sample(Setting setting, int which) => setting.Choices.Length > 1
        ? setting.Choices.Where(c => c != setting.Default).Concat([setting.Default]).ElementAt(which)
        : which == 0 ? setting.Default + "0" : setting.Default + "1";

    private static string Value(Setting setting, string[] args, string? variable)
    {
        var environment = variable is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [setting.Variable] = variable };
        return Resolve(args.Skip(1).ToArray(), environment)[setting];
    }

    private static SettingOptions.Values Resolve(string[] args, Dictionary<string, string> environment)
    {
        var command = new RootCommand();
        var settings = new SettingOptions(command, CliSettings.Transformation);
        return settings.Resolve(command.Parse(args), name => environment.GetValueOrDefault(name));
    }
}
