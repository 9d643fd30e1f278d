using System.Text;
using PgAuditFirehose.Records;

namespace PgAuditFirehose.ServerLog;

/// <summary>
/// One CONNECTION, DISCONNECTION, LOGIN_FAILURE or ERROR record, its values copied out of the log text:
/// an ERROR waits for the continuation entries that follow it, and they may come in later log events.
/// Reused from record to record.
/// </summary>
internal sealed class ServerRecord
{
    /// <summary>How many text fields a record has (<see cref="ServerField"/>'s values are 0 to this - 1).</summary>
    public const int FieldCount = (int)ServerField.ParseError + 1;

    private readonly int[] _starts = new int[FieldCount];
    private readonly int[] _lengths = new int[FieldCount];
    private byte[] _text = new byte[1024];
    private int _used;

    public ServerRecordType Type { get; private set; }
    public RecordColumns Source { get; private set; } = RecordColumns.None;
    public int? RemotePort { get; set; }
    public int? ProcessId { get; set; }
    public long? SessionDurationMs { get; set; }
    public long? LogEventTimestamp { get; set; }

    /// <summary>Secrets in the record's text were replaced (REDACT_SECRETS).</summary>
    public bool Redacted { get; set; }

    /// <summary>Empties the record for a new one of <paramref name="type"/>.</summary>
    public void Reset(ServerRecordType type, RecordColumns source)
    {
        Type = type;
        Source = source;
        RemotePort = ProcessId = null;
        SessionDurationMs = LogEventTimestamp = null;
        Redacted = false;
        Array.Fill(_starts, -1);
        _used = 0;
    }

    public bool Has(ServerField field) => _starts[(int)field] >= 0;

    /// <summary>The field's text; empty when null (<see cref="Has"/> tells the two apart).</summary>
    public ReadOnlySpan<byte> Text(ServerField field) =>
        Has(field) ? _text.AsSpan(_starts[(int)field], _lengths[(int)field]) : default;

    /// <summary>Sets a field; an empty value counts as null (the prefix's convention for absent values).</summary>
    public void SetOrNull(ServerField field, ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty) Set(field, value);
    }

    public void Set(ServerField field, ReadOnlySpan<byte> value, bool removeContinuationTabs = false)
    {
        Ensure(value.Length);
        var start = _used;
        if (!removeContinuationTabs)
        {
            value.CopyTo(_text.AsSpan(_used));
            _used += value.Length;
        }
        else
        {
            // The stderr log writes a tab after every newline inside an entry: exactly one comes out.
            while (true)
            {
                var newline = value.IndexOf((byte)'\n');
                var line = newline < 0 ? value : value[..(newline + 1)];
                line.CopyTo(_text.AsSpan(_used));
                _used += line.Length;
                if (newline < 0) break;
                value = value[(newline + 1)..];
                if (!value.IsEmpty && value[0] == (byte)'\t') value = value[1..];
            }
        }

        _starts[(int)field] = start;
        _lengths[(int)field] = _used - start;
    }

    public void Set(ServerField field, string value) => Set(field, Encoding.UTF8.GetBytes(value));

    private void Ensure(int more)
    {
        if (_text.Length - _used >= more) return;
        Array.Resize(ref _text, Math.Max(_text.Length * 2, _used + more));
    }
}
