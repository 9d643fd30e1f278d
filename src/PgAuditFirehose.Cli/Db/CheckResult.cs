namespace PgAuditFirehose.Cli.Db;

/// <summary>One line of <c>db check</c> / <c>db setup</c>: a mark, what was checked, what was found, what to do.</summary>
internal sealed record CheckResult(CheckMark Mark, string Subject, string Finding, string? Fix = null)
{
    public override string ToString() =>
        $"{Symbol(Mark)} {Subject}: {Finding}" + (Fix is null ? "" : $" → {Fix}");

    public static string Symbol(CheckMark mark) => mark switch
    {
        CheckMark.Pass => "✓",
        CheckMark.Fail => "✗",
        CheckMark.Warn => "!",
        _ => "•",
    };
}

/// <summary>Only <see cref="Fail"/> makes the exit code non-zero.</summary>
internal enum CheckMark
{
    /// <summary>In place.</summary>
    Pass,

    /// <summary>Needed and missing: no (or wrong) audit records until fixed.</summary>
    Fail,

    /// <summary>Works, but probably not what is wanted.</summary>
    Warn,

    /// <summary>A value and what it costs; nothing to fix.</summary>
    Info,
}
