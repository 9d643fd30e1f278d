namespace PgAuditFirehose.Cli.Db;

/// <summary>Writes <see cref="CheckResult"/> lines, the mark coloured when standard output is a terminal (and NO_COLOR is unset).</summary>
internal sealed class MarkWriter(TextWriter writer)
{
    private readonly bool _color = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected &&
                                   string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public int Failures { get; private set; }

    public int Warnings { get; private set; }

    public void Write(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Mark == CheckMark.Fail) Failures++;
        if (result.Mark == CheckMark.Warn) Warnings++;
        var line = result.ToString();
        if (_color)
        {
            var color = result.Mark switch { CheckMark.Pass => "32", CheckMark.Fail => "31", CheckMark.Warn => "33", _ => "2" };
            line = $"\u001b[{color}m{line[..1]}\u001b[0m{line[1..]}";
        }

        writer.WriteLine(line);
    }

    public void WriteLine(string text) => writer.WriteLine(text);
}
