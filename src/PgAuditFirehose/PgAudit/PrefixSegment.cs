namespace PgAuditFirehose.PgAudit;

/// <summary>One piece of a compiled <c>log_line_prefix</c>: literal text, an escape, or the <c>%q</c> stop.</summary>
/// <param name="Padded">The escape had a width (<c>%-10u</c>): PostgreSQL pads the value with spaces.</param>
/// <param name="Width">That width's size (0 without one): a padded value is at least this long.</param>
internal sealed record PrefixSegment(PrefixSegmentKind Kind, byte[] Literal, PrefixEscape Escape, bool Padded, int Width = 0)
{
    public static PrefixSegment Text(byte[] literal) => new(PrefixSegmentKind.Literal, literal, default, false);

    public static PrefixSegment Field(PrefixEscape escape, bool padded, int width = 0) => new(PrefixSegmentKind.Field, [], escape, padded, width);

    public static readonly PrefixSegment Stop = new(PrefixSegmentKind.Stop, [], default, false);

    /// <summary>The most bytes a server writes for this segment (<see cref="PrefixShapes.MaxLength"/>, or the width when wider).</summary>
    public int MaxLength { get; } = Kind switch
    {
        PrefixSegmentKind.Literal => Literal.Length,
        PrefixSegmentKind.Field => Math.Max(Width, PrefixShapes.MaxLength(Escape)),
        _ => 0,
    };

    /// <summary>Fields whose text can hold any character; they end where the next literal starts.</summary>
    public bool IsFreeText { get; } = Kind == PrefixSegmentKind.Field && Escape is PrefixEscape.User or PrefixEscape.Database
        or PrefixEscape.OtherText or PrefixEscape.RemoteHostPort or PrefixEscape.RemoteHost;
}

internal enum PrefixSegmentKind : byte
{
    Literal,
    Field,
    /// <summary>%q: processes without a session (background workers) stop the prefix here.</summary>
    Stop,
}
