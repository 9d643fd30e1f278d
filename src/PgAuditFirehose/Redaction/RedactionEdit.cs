namespace PgAuditFirehose.Redaction;

/// <summary>A range of the text to replace: a secret, or (<see cref="Unterminated"/>) the rest of a text that could not be lexed.</summary>
internal readonly record struct RedactionEdit(int Start, int End, bool Unterminated = false);
