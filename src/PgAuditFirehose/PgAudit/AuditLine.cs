using System.Diagnostics.CodeAnalysis;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.PgAudit;

/// <summary>
/// One pgAudit log line taken apart. Text fields are UTF-8 spans into the log event or into the
/// parser's scratch buffer, valid until the parser's next line. An empty span means absent.
/// </summary>
internal ref struct AuditLine
{
    public PrefixFields Prefix;

    /// <summary>The time as ISO 8601 (written by the parser, so it holds only digits and <c>-:.TZ</c>).</summary>
    public ReadOnlySpan<byte> LogTime;

    /// <summary>An ASCII word.</summary>
    public ReadOnlySpan<byte> Severity;

    /// <summary>
    /// True when the prefix's text holds no '"', '\' or control character, so neither do the fields taken
    /// from it: a writer may copy them without a look. False says nothing.
    /// </summary>
    public bool PlainPrefix;

    /// <summary>The same for the seven fields before STATEMENT (AUDIT_TYPE to OBJECT_NAME).</summary>
    public bool PlainLeadingFields;

    /// <summary>False when the CSV after <c>AUDIT:</c> could not be read; the CSV fields are then absent.</summary>
    public bool HasAuditFields;
    public ReadOnlySpan<byte> AuditType;
    public long StatementId;
    public long SubstatementId;

    /// <summary>The two ids' digits as the line had them, when they are the number's shortest form (else empty): copied, not formatted.</summary>
    public ReadOnlySpan<byte> StatementIdDigits;
    public ReadOnlySpan<byte> SubstatementIdDigits;
    public ReadOnlySpan<byte> Class;
    public ReadOnlySpan<byte> Command;
    public ReadOnlySpan<byte> ObjectType;
    public ReadOnlySpan<byte> ObjectName;
    public ReadOnlySpan<byte> Statement;

    /// <summary>
    /// <see cref="Statement"/> is written JSON-escaped already (taken straight from the envelope's escaped
    /// text, <see cref="EscapedCsv"/>): a JSON writer copies it as it is; only JSON may be written from it.
    /// </summary>
    public bool StatementEscaped;
    public ReadOnlySpan<byte> Parameter;
    public long? Rows;

    /// <summary>False when <see cref="Parameter"/> is not a list (<c>&lt;none&gt;</c>, <c>&lt;not logged&gt;</c>, ...).</summary>
    public bool HasParameterList;

    /// <summary>The parameter values, one after another; <see cref="ParameterEnds"/> holds where each ends.</summary>
    public ReadOnlySpan<byte> ParameterValues;
    public ReadOnlySpan<int> ParameterEnds;

    /// <summary>Why the line could not be fully parsed; null when it was.</summary>
    public string? ParseError;

    /// <summary>The line as received, kept with <see cref="ParseError"/>.</summary>
    public ReadOnlySpan<byte> RawMessage;

    /// <summary>Secrets were replaced in the line's text (<see cref="Redaction.LineRedactor"/>).</summary>
    public bool Redacted;

    /// <summary>
    /// The text of a column that <see cref="AuditColumn.MayHoldSecrets"/> other than the statement and the
    /// parameters (which the redactor handles itself): the redactor reads and replaces it here. A new
    /// text column with the flag gets its case here.
    /// </summary>
    [UnscopedRef]
    public ref ReadOnlySpan<byte> SecretText(AuditColumn column)
    {
        if (column == AuditColumns.RawMessage) return ref RawMessage;
        throw new InvalidOperationException($"the column {column.Name} may hold secrets but AuditLine.SecretText has no case for it");
    }
}
