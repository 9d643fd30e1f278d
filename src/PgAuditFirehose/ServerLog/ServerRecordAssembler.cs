using System.Buffers;
using System.Runtime.CompilerServices;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;
using PgAuditFirehose.Redaction;

namespace PgAuditFirehose.ServerLog;

/// <summary>
/// Turns the entries that are not audit lines into CONNECTION, DISCONNECTION, LOGIN_FAILURE and ERROR
/// records, one envelope (or log file) at a time. PostgreSQL writes a message and its DETAIL, HINT, QUERY,
/// CONTEXT, LOCATION and STATEMENT entries together, in that order, so an ERROR/FATAL/PANIC record takes
/// the continuations that follow it from the same process. Continuations at the head of an envelope lost
/// their message to the previous envelope: they make an ERROR record of their own (severity and message
/// null). Continuations after any other entry belong to a message that is no record (a WARNING, a LOG,
/// an audit line, or one the subscription filter left out) and are skipped. One instance per thread.
/// </summary>
internal sealed class ServerRecordAssembler(LogLinePrefix prefix, LogTimeZone timeZone, OutputFormat format, bool redactSecrets)
{
    private enum State
    {
        /// <summary>No entry yet in this envelope.</summary>
        Head,

        /// <summary>An ERROR-type record waits for continuations.</summary>
        Pending,

        /// <summary>The last message was no record (or its record is written).</summary>
        Other,
    }

    private readonly ServerRecord _record = new();
    private readonly ServerRecordRedactor? _redactor = redactSecrets ? new ServerRecordRedactor() : null;
    private readonly byte[] _iso = new byte[LogTimestamp.MaxIsoLength];
    private State _state = State.Head;
    private Continuation _last;
    private bool _writable;
    private RecordColumns _columns = RecordColumns.None;

    /// <summary>Records written since the last <see cref="End"/>.</summary>
    public int Records { get; private set; }

    /// <summary>Entries that became no record and joined none, since the last <see cref="End"/>.</summary>
    public int Skipped { get; private set; }

    /// <summary>A new envelope (or file): what came before can no longer take continuations.</summary>
    public void Start(RecordColumns columns)
    {
        _columns = columns;
        _state = State.Head;
        Records = Skipped = 0;
    }

    /// <summary>An audit line came: a waiting record is complete. One compare while audit lines follow each other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AuditLine(IBufferWriter<byte> output)
    {
        if (_state != State.Other) Settle(output);
    }

    /// <summary>The envelope's (or file's) end: writes the record still waiting.</summary>
    public void End(IBufferWriter<byte> output) => Settle(output);

    /// <summary>Takes an entry that is not an audit line.</summary>
    public void Take(IBufferWriter<byte> output, ReadOnlySpan<byte> entry, scoped in AuditSource source)
    {
        if (!ServerEntryParser.TryParse(prefix, entry, out var parsed))
        {
            Settle(output);
            Skipped++;
            return;
        }

        if (parsed.Continuation != Continuation.None)
        {
            TakeContinuation(output, entry, in parsed, in source);
            return;
        }

        Settle(output);
        if (parsed.Type is not { } type)
        {
            Skipped++;
            return;
        }

        Fill(type, entry, in parsed, in source);
        _record.Set(ServerField.Severity, parsed.Severity);
        _record.Set(ServerField.Message, parsed.Message, removeContinuationTabs: true);
        _record.SetOrNull(ServerField.SqlState, parsed.SqlState);
        if (type == ServerRecordType.Connection && SessionText.TryApplicationName(parsed.Message, out var application))
        {
            _record.Set(ServerField.ApplicationName, application, removeContinuationTabs: true);
        }

        if (type == ServerRecordType.Disconnection && SessionText.TrySessionMilliseconds(parsed.Message, out var milliseconds))
        {
            _record.SessionDurationMs = milliseconds;
        }

        if (type is ServerRecordType.Connection or ServerRecordType.Disconnection)
        {
            Write(output);
            return;
        }

        _state = State.Pending;
        _last = Continuation.None;
        _writable = true;
    }

    private void TakeContinuation(IBufferWriter<byte> output, ReadOnlySpan<byte> entry, scoped in ServerEntry parsed, scoped in AuditSource source)
    {
        var joins = _state == State.Pending && parsed.Continuation > _last && parsed.Prefix.ProcessId == _record.ProcessId;
        if (!joins && _state != State.Head)
        {
            // Not the waiting record's (a new message began): the message it belongs to is no record.
            Settle(output);
            Skipped++;
            return;
        }

        if (!joins)
        {
            // At the envelope's head: its message was in the previous envelope.
            Fill(ServerRecordType.Error, entry, in parsed, in source);
            _state = State.Pending;
            _writable = false;
        }

        _last = parsed.Continuation;
        var column = parsed.Continuation switch
        {
            Continuation.Detail => ServerField.Detail,
            Continuation.Hint => ServerField.Hint,
            Continuation.Context => ServerField.Context,
            Continuation.Statement => ServerField.Statement,
            _ => (ServerField?)null,
        };
        if (column is not { } field)
        {
            Skipped++;
            return;
        }

        _record.Set(field, parsed.Message, removeContinuationTabs: true);
        _writable = true;
    }

    private void Fill(ServerRecordType type, ReadOnlySpan<byte> entry, scoped in ServerEntry parsed, scoped in AuditSource source)
    {
        _record.Reset(type, _columns);
        _record.SetOrNull(ServerField.RemoteHost, parsed.Prefix.RemoteHost);
        _record.RemotePort = parsed.Prefix.RemotePort;
        _record.SetOrNull(ServerField.User, parsed.Prefix.User);
        _record.SetOrNull(ServerField.Database, parsed.Prefix.Database);
        _record.ProcessId = parsed.Prefix.ProcessId;
        _record.SetOrNull(ServerField.LogEventId, source.LogEventId);
        _record.LogEventTimestamp = source.LogEventTimestamp;
        string? error = null;
        if (!parsed.PrefixMatched)
        {
            error = $"the text before the severity does not match log_line_prefix '{prefix.Format}' (set LOG_LINE_PREFIX to the server's log_line_prefix)";
        }
        else if (!parsed.Prefix.Time.IsEmpty)
        {
            error = LogTimestamp.TryFormatIso(parsed.Prefix.Time, parsed.Prefix.TimeKind, timeZone, _iso, out var written);
            if (error is null) _record.Set(ServerField.LogTime, _iso.AsSpan(0, written));
        }

        if (error is null) return;
        _record.Set(ServerField.RawMessage, entry);
        _record.Set(ServerField.ParseError, error);
    }

    private void Settle(IBufferWriter<byte> output)
    {
        if (_state == State.Pending && _writable) Write(output);
        _state = State.Other;
    }

    private void Write(IBufferWriter<byte> output)
    {
        _redactor?.Redact(_record);
        if (format == OutputFormat.Csv) ServerRecordCsvWriter.Write(output, _record);
        else ServerRecordJsonWriter.Write(output, _record);
        Records++;
        _state = State.Other;
    }
}
