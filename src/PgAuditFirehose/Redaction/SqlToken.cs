namespace PgAuditFirehose.Redaction;

/// <summary>One token: its kind and where it lies in the text (<see cref="End"/> exclusive; a string's quotes, prefix and continuations included).</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int End)
{
    public bool IsStringLiteral => Kind is SqlTokenKind.String or SqlTokenKind.ExtendedString or SqlTokenKind.UnicodeString
        or SqlTokenKind.BitString or SqlTokenKind.DollarString;

    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier or SqlTokenKind.UnicodeIdentifier;

    /// <summary>A one-character operator token such as <c>(</c>, <c>,</c> or <c>=</c>.</summary>
    public bool Is(ReadOnlySpan<byte> text, char c) => Kind == SqlTokenKind.Operator && End - Start == 1 && text[Start] == c;
}
