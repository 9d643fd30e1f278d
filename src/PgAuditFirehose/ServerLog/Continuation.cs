namespace PgAuditFirehose.ServerLog;

/// <summary>
/// The entries PostgreSQL writes after a message, from the same process, in this order (elog.c,
/// send_message_to_server_log): a later one never comes before an earlier one of the same message.
/// </summary>
internal enum Continuation
{
    None = 0,
    Detail = 1,
    Hint = 2,
    Query = 3,
    Context = 4,
    Location = 5,
    Backtrace = 6,
    Statement = 7,
}

internal static class Continuations
{
    /// <summary>The continuation a severity word names, or <see cref="Continuation.None"/>.</summary>
    public static Continuation Of(ReadOnlySpan<byte> severity) => severity switch
    {
        _ when severity.SequenceEqual("DETAIL"u8) => Continuation.Detail,
        _ when severity.SequenceEqual("HINT"u8) => Continuation.Hint,
        _ when severity.SequenceEqual("QUERY"u8) => Continuation.Query,
        _ when severity.SequenceEqual("CONTEXT"u8) => Continuation.Context,
        _ when severity.SequenceEqual("LOCATION"u8) => Continuation.Location,
        _ when severity.SequenceEqual("BACKTRACE"u8) => Continuation.Backtrace,
        _ when severity.SequenceEqual("STATEMENT"u8) => Continuation.Statement,
        _ => Continuation.None,
    };

    /// <summary>DETAIL, HINT, CONTEXT and STATEMENT have a column; QUERY, LOCATION and BACKTRACE go into none.</summary>
    public static bool HasColumn(Continuation continuation) =>
        continuation is Continuation.Detail or Continuation.Hint or Continuation.Context or Continuation.Statement;
}
