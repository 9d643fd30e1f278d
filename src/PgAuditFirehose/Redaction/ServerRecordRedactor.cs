using PgAuditFirehose.Records;
using PgAuditFirehose.ServerLog;

namespace PgAuditFirehose.Redaction;

/// <summary>
/// Replaces the secrets in a server record's text columns (those that <see cref="AuditColumn.MayHoldSecrets"/>)
/// with <c>&lt;REDACTED&gt;</c> before it is written, and sets <see cref="ServerRecord.Redacted"/>: the
/// STATEMENT entry read as SQL, message, detail, hint, context and raw_message as log text, and every
/// secret the statement held wherever it recurs (an error's <c>at or near "'S3cret..."</c>). Server
/// records are rare: each column is lexed on its own, the redacted text set anew. One per thread.
/// </summary>
internal sealed class ServerRecordRedactor
{
    // The flagged columns a server record holds as text, the statement first (its secrets are looked for in the rest).
    private static readonly ServerField[] LogTextFields = BuildLogTextFields();

    private readonly SecretFinder _finder = new();
    private readonly KnownSecrets _known = new();
    private readonly char[] _widened = new char[SecretTriggers.Chunk];

    public void Redact(ServerRecord record)
    {
        _known.Clear();
        var statement = record.Text(ServerField.Statement);
        if (SecretTriggers.Hit(statement, _widened) && _finder.Find(statement))
        {
            foreach (var edit in _finder.Edits) _known.Add(statement[edit.Start..edit.End]);
            Replace(record, ServerField.Statement, statement);
        }

        foreach (var field in LogTextFields)
        {
            var text = record.Text(field);
            if (text.IsEmpty) continue;
            var found = SecretTriggers.Hit(text, _widened) && _finder.Find(text, rawLine: true);
            if (_known.Count > 0) found = _finder.AddOccurrences(text, _known, fresh: !found);
            if (found) Replace(record, field, text);
        }
    }

    // The text with the finder's edits replaced becomes the field's value.
    private void Replace(ServerRecord record, ServerField field, ReadOnlySpan<byte> text)
    {
        var length = text.Length;
        foreach (var edit in _finder.Edits) length += Replacement(edit).Length - (edit.End - edit.Start);
        var redacted = new byte[length];
        int from = 0, n = 0;
        foreach (var edit in _finder.Edits)
        {
            text[from..edit.Start].CopyTo(redacted.AsSpan(n));
            n += edit.Start - from;
            Replacement(edit).CopyTo(redacted.AsSpan(n));
            n += Replacement(edit).Length;
            from = edit.End;
        }

        text[from..].CopyTo(redacted.AsSpan(n));
        record.Set(field, redacted);
        record.Redacted = true;
    }

    private static ReadOnlySpan<byte> Replacement(RedactionEdit edit) =>
        edit.Unterminated ? LineRedactor.UnterminatedReplacement : LineRedactor.Replacement;

    private static ServerField[] BuildLogTextFields()
    {
        var fields = new List<ServerField>();
        for (var i = 0; i < AuditColumns.All.Count; i++)
        {
            var column = AuditColumns.All[i];
            if (!column.MayHoldSecrets || column == AuditColumns.Statement || ServerRecordValues.Kinds[i] != ServerRecordValues.Kind.Text) continue;
            fields.Add(ServerRecordValues.Fields[i]);
        }

        return [.. fields];
    }
}
