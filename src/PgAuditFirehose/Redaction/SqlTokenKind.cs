namespace PgAuditFirehose.Redaction;

/// <summary>What a token of PostgreSQL's lexer (src/backend/parser/scan.l) is, as far as redaction cares.</summary>
internal enum SqlTokenKind : byte
{
    /// <summary>An unquoted identifier or keyword.</summary>
    Word,

    /// <summary><c>"..."</c> with <c>""</c> doubling.</summary>
    QuotedIdentifier,

    /// <summary><c>U&amp;"..."</c>: a quoted identifier with Unicode escapes.</summary>
    UnicodeIdentifier,

    /// <summary><c>'...'</c> or <c>N'...'</c> with <c>''</c> doubling (standard_conforming_strings on).</summary>
    String,

    /// <summary><c>E'...'</c>: backslash escapes as well as <c>''</c>.</summary>
    ExtendedString,

    /// <summary><c>U&amp;'...'</c>: Unicode escapes, <c>''</c> doubling.</summary>
    UnicodeString,

    /// <summary><c>B'...'</c> or <c>X'...'</c>: no escapes, no doubling.</summary>
    BitString,

    /// <summary><c>$$...$$</c> or <c>$tag$...$tag$</c>: no escapes at all.</summary>
    DollarString,

    /// <summary><c>$1</c>, a bound parameter.</summary>
    Parameter,
    Number,

    /// <summary>An operator or a one-character token (<c>( ) , ; = .</c> ...).</summary>
    Operator,
}
