namespace PgAuditFirehose.CloudWatchLogs;

/// <summary>Where one log event's id and message sit: in the envelope's buffer, or in its JSON.</summary>
/// <param name="IdPlain">The id was written without an escape, so it holds no '"', '\' or control character.</param>
/// <param name="MessagePlain">The same for the message: then neither does any text taken from it.</param>
/// <param name="EscapedStart">
/// Where the message's text sits in <see cref="LogEnvelope.Json"/> as the JSON wrote it, escapes and all
/// (between its quotes); -1 when it is not known there.
/// </param>
/// <param name="IdInJson">The id is read from <see cref="LogEnvelope.Json"/> at IdStart (it had no escape to undo), not from the buffer.</param>
/// <param name="MessageInJson">The same for the message.</param>
/// <param name="TimestampStart">Where the timestamp's digits are in <see cref="LogEnvelope.Json"/> when they are its shortest form; -1 when not known.</param>
/// <param name="MessagePlainLength">How many bytes the message starts with that hold no '"', '\' or control character, as far as known (0: unknown); where an escaped message's first escape is.</param>
internal readonly record struct LogEvent(
    int IdStart, int IdLength, long? Timestamp, int MessageStart, int MessageLength, bool IdPlain = false, bool MessagePlain = false,
    int EscapedStart = -1, int EscapedLength = 0, bool IdInJson = false, bool MessageInJson = false, int MessagePlainLength = 0,
    int TimestampStart = -1, int TimestampLength = 0);
