using System.CommandLine;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Cli.Settings;

/// <summary>The options one command has for its settings, and their values resolved: option, else variable, else default.</summary>
internal sealed class SettingOptions
{
    private readonly List<(Setting Setting, Option<string?> Option)> _options = [];

    /// <summary>Adds an option to <paramref name="command"/> for each setting.</summary>
    public SettingOptions(Command command, IEnumerable<Setting> settings, IReadOnlyDictionary<Setting, string[]>? moreChoices = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var setting in settings)
        {
            var option = setting.CreateOption(moreChoices?.GetValueOrDefault(setting) ?? []);
            command.Options.Add(option);
            _options.Add((setting, option));
        }
    }

    // Where a value came from when neither the option nor the variable gave it.
    private const string Defaulted = "";

    /// <summary>The values of one invocation.</summary>
    public Values Resolve(ParseResult result, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        environment ??= Environment.GetEnvironmentVariable;
        var given = new Dictionary<string, (string Value, string From)>(StringComparer.Ordinal);
        foreach (var (setting, option) in _options)
        {
            if (result.GetValue(option) is { } value) given[setting.Variable] = (value, setting.Option);
            else if (environment(setting.Variable) is { Length: > 0 } variable) given[setting.Variable] = (variable, setting.Variable);
            else given[setting.Variable] = (setting.Default, Defaulted);
        }

        return new Values(given, environment);
    }

    /// <param name="given">Each setting's value and where it came from: its option's name, its variable's, or "" for its default.</param>
    internal sealed class Values(IReadOnlyDictionary<string, (string Value, string From)> given, Func<string, string?> environment)
    {
        public string this[Setting setting] => given[setting.Variable].Value;

        /// <summary>The same values with one replaced, e.g. a command's own word for a value the library takes another way.</summary>
        public Values With(Setting setting, string value)
        {
            var changed = given.ToDictionary(StringComparer.Ordinal);
            changed[setting.Variable] = (value, given[setting.Variable].From);
            return new Values(changed, environment);
        }

        /// <summary>
        /// The transformation's options as the Lambda would read this environment. Throws <see cref="UsageException"/>
        /// naming the option when the bad value came from one, the variable when it came from the environment.
        /// </summary>
        public TransformerOptions Transformer()
        {
            try
            {
                // A setting left at its default is left to the library, whose default it is (some follow the memory).
                return TransformerOptions.FromEnvironment(name => given.TryGetValue(name, out var v) ? (v.From == Defaulted ? null : v.Value) : environment(name));
            }
            catch (ConfigurationException e)
            {
                var message = e.Message;
                foreach (var (variable, (_, from)) in given)
                {
                    if (from == variable || from == Defaulted) continue;
                    // "LOG_TIMEZONE is not valid: why" reads "--log-timezone: why" when the option gave the value.
                    message = message.Replace($"{variable} is not valid: ", $"{from}: ", StringComparison.Ordinal).Replace(variable, from, StringComparison.Ordinal);
                }

                throw new UsageException(message);
            }
        }
    }
}
