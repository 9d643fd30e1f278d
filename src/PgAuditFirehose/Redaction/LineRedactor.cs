using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.Redaction;

/// <summary>
/// Replaces the secrets in an audit line's text columns (those that <see cref="AuditColumn.MayHoldSecrets"/>)
/// with <c>&lt;REDACTED&gt;</c> before the line is written, and sets <see cref="AuditLine.Redacted"/>.
/// Text without a trigger word (<see cref="SecretTriggers"/>) is not lexed and stays byte for byte as
/// it was. The redacted text lives in this instance's buffer until the next line. One per thread.
/// </summary>
internal sealed partial class LineRedactor
{
    /// <summary>What a secret becomes.</summary>
    public static ReadOnlySpan<byte> Replacement => "<REDACTED>"u8;

    /// <summary>What the rest of a text that ends inside a literal, quoted name or comment becomes.</summary>
    public static ReadOnlySpan<byte> UnterminatedReplacement => "<REDACTED:UNTERMINATED>"u8;

    // Null on audit lines: only server records hold them (ServerRecordRedactor).
    private static readonly AuditColumn[] ServerOnlyColumns = [AuditColumns.Message, AuditColumns.Detail, AuditColumns.Hint, AuditColumns.Context];

    // The flagged text columns that are neither the statement nor the parameters: lexed as log text, not SQL.
    private static readonly AuditColumn[] OtherTextColumns = BuildOtherTextColumns();

    private readonly SecretFinder _finder = new();
    private readonly KnownSecrets _known = new();
    private readonly char[] _widened = new char[SecretTriggers.Chunk];
    private byte[] _buffer = new byte[4096];
    private int _used;
    private int[] _parameterEnds = new int[16];

    public void Redact(ref AuditLine line)
    {
        _used = 0;
        var changed = false;
        _finder.Forget();
        _known.Clear();
        if (SecretTriggers.Hit(line.Statement, _widened)) changed = RedactStatement(ref line);
        if (line.HasParameterList && (_finder.AnySecretParameter || SecretTriggers.Hit(line.Parameter, _widened, sql: false))) changed |= RedactParameters(ref line);
        foreach (var column in OtherTextColumns)
        {
            ref var text = ref line.SecretText(column);
            if (text.IsEmpty) continue;
            var found = SecretTriggers.Hit(text, _widened) && _finder.Find(text, rawLine: true);
            if (_known.Count > 0) found = _finder.AddOccurrences(text, _known, fresh: !found);
            if (!found) continue;
            text = Apply(text, _finder.Edits);
            changed = true;
        }

        line.Redacted = changed;
    }

    private bool RedactStatement(ref AuditLine line)
    {
        var statement = line.Statement;
        if (line.StatementEscaped) statement = JsonUnescaped(statement);
        if (!_finder.Find(statement)) return false;
        foreach (var edit in _finder.Edits) _known.Add(statement[edit.Start..edit.End]);
        line.Statement = Apply(statement, _finder.Edits);
        line.StatementEscaped = false;
        return true;
    }

    /// <summary>The text with every edit replaced, in this instance's buffer.</summary>
    private ReadOnlySpan<byte> Apply(ReadOnlySpan<byte> text, IReadOnlyList<RedactionEdit> edits)
    {
        var length = text.Length;
        foreach (var edit in edits) length += (edit.Unterminated ? UnterminatedReplacement.Length : Replacement.Length) - (edit.End - edit.Start);
        var d = Take(length);
        int from = 0, n = 0;
        foreach (var edit in edits)
        {
            text[from..edit.Start].CopyTo(d[n..]);
            n += edit.Start - from;
            var replacement = edit.Unterminated ? UnterminatedReplacement : Replacement;
            replacement.CopyTo(d[n..]);
            n += replacement.Length;
            from = edit.End;
        }

        text[from..].CopyTo(d[n..]);
        return d[..length];
    }

    // Room for this line's text: from the buffer, or a new one (the old stays alive under the spans already handed out).
    private Span<byte> Take(int length)
    {
        if (_buffer.Length - _used < length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
            _used = 0;
        }

        var span = _buffer.AsSpan(_used, length);
        _used += length;
        return span;
    }

    private static AuditColumn[] BuildOtherTextColumns()
    {
        var columns = new List<AuditColumn>();
        foreach (var column in AuditColumns.All)
        {
            if (column.MayHoldSecrets && column != AuditColumns.Statement && column != AuditColumns.Parameter && column != AuditColumns.Parameters
                && !ServerOnlyColumns.Contains(column)) columns.Add(column);
        }

        return [.. columns];
    }
}
