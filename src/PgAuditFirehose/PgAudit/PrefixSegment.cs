namespace PgAuditFirehose.PgAudit;

/// <summary>One piece of a compiled <c>log_line_prefix</c>: literal text, an escape, or the <c>%q</c> stop.</summary>
/// <param name="Padded">The escape had a width (<c>%-10u</c>): PostgreSQL pads the value with spaces.</param>
internal sealed record PrefixSegment(PrefixSegmentKind Kind, byte[] Literal, PrefixEscape Escape, bool Padded)
{
    public static PrefixSegment Text(byte[] literal) => new(PrefixSegmentKind.Literal, literal, default, false);

    public static PrefixSegment Field(PrefixEscape escape, bool padded) => new(PrefixSegmentKind.Field, [], escape, padded);

    public static readonly PrefixSegment Stop = new(PrefixSegmentKind.Stop, [], default, false);

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
