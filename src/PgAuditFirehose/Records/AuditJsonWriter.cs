using System.Text.Encodings.Web;
using System.Text.Json;
using PgAuditFirehose.PgAudit;

namespace PgAuditFirehose.Records;

/// <summary>Writes an audit record as one JSON object, keys in <see cref="AuditColumns.All"/> order.</summary>
internal static class AuditJsonWriter
{
    /// <summary>Keeps non-ASCII text and &lt;not logged&gt; readable; the output is data, never HTML.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private static readonly JsonEncodedText LogTime = Name(AuditColumns.LogTime);
    private static readonly JsonEncodedText RemoteHost = Name(AuditColumns.RemoteHost);
    private static readonly JsonEncodedText RemotePort = Name(AuditColumns.RemotePort);
    private static readonly JsonEncodedText UserName = Name(AuditColumns.UserName);
    private static readonly JsonEncodedText DatabaseName = Name(AuditColumns.DatabaseName);
    private static readonly JsonEncodedText ProcessId = Name(AuditColumns.ProcessId);
    private static readonly JsonEncodedText Severity = Name(AuditColumns.Severity);
    private static readonly JsonEncodedText AuditType = Name(AuditColumns.AuditType);
    private static readonly JsonEncodedText StatementId = Name(AuditColumns.StatementId);
    private static readonly JsonEncodedText SubstatementId = Name(AuditColumns.SubstatementId);
    private static readonly JsonEncodedText Class = Name(AuditColumns.Class);
    private static readonly JsonEncodedText Command = Name(AuditColumns.Command);
    private static readonly JsonEncodedText ObjectType = Name(AuditColumns.ObjectType);
    private static readonly JsonEncodedText ObjectName = Name(AuditColumns.ObjectName);
    private static readonly JsonEncodedText Statement = Name(AuditColumns.Statement);
    private static readonly JsonEncodedText Parameter = Name(AuditColumns.Parameter);
    private static readonly JsonEncodedText Parameters = Name(AuditColumns.Parameters);
    private static readonly JsonEncodedText Rows = Name(AuditColumns.Rows);
    private static readonly JsonEncodedText LogGroup = Name(AuditColumns.LogGroup);
    private static readonly JsonEncodedText LogStream = Name(AuditColumns.LogStream);
    private static readonly JsonEncodedText AccountId = Name(AuditColumns.AccountId);
    private static readonly JsonEncodedText DbIdentifier = Name(AuditColumns.DbIdentifier);
    private static readonly JsonEncodedText LogEventId = Name(AuditColumns.LogEventId);
    private static readonly JsonEncodedText LogEventTimestamp = Name(AuditColumns.LogEventTimestamp);
    private static readonly JsonEncodedText RawMessage = Name(AuditColumns.RawMessage);
    private static readonly JsonEncodedText ParseError = Name(AuditColumns.ParseError);

    public static void Write(Utf8JsonWriter w, scoped in AuditLine line, scoped in AuditSource source)
    {
        var csv = line.HasAuditFields;
        w.WriteStartObject();
        TextOrNull(w, LogTime, line.LogTime);
        TextOrNull(w, RemoteHost, line.Prefix.RemoteHost);
        NumberOrNull(w, RemotePort, line.Prefix.RemotePort);
        TextOrNull(w, UserName, line.Prefix.User);
        TextOrNull(w, DatabaseName, line.Prefix.Database);
        NumberOrNull(w, ProcessId, line.Prefix.ProcessId);
        TextOrNull(w, Severity, line.Severity);
        Text(w, AuditType, line.AuditType, csv);
        NumberOrNull(w, StatementId, csv ? line.StatementId : null);
        NumberOrNull(w, SubstatementId, csv ? line.SubstatementId : null);
        Text(w, Class, line.Class, csv);
        Text(w, Command, line.Command, csv);
        TextOrNull(w, ObjectType, line.ObjectType);
        TextOrNull(w, ObjectName, line.ObjectName);
        Text(w, Statement, line.Statement, csv);
        Text(w, Parameter, line.Parameter, csv);
        WriteParameters(w, in line);
        NumberOrNull(w, Rows, line.Rows);
        TextOrNull(w, LogGroup, source.LogGroup);
        TextOrNull(w, LogStream, source.LogStream);
        TextOrNull(w, AccountId, source.AccountId);
        TextOrNull(w, DbIdentifier, source.DbIdentifier);
        TextOrNull(w, LogEventId, source.LogEventId);
        NumberOrNull(w, LogEventTimestamp, source.LogEventTimestamp);
        if (line.ParseError is not null)
        {
            w.WriteString(RawMessage, line.RawMessage);
            w.WriteString(ParseError, line.ParseError);
        }

        w.WriteEndObject();
    }

    private static JsonEncodedText Name(AuditColumn column) => JsonEncodedText.Encode(column.Name);

    private static void WriteParameters(Utf8JsonWriter w, scoped in AuditLine line)
    {
        if (!line.HasParameterList)
        {
            w.WriteNull(Parameters);
            return;
        }

        w.WriteStartArray(Parameters);
        var start = 0;
        foreach (var end in line.ParameterEnds)
        {
            w.WriteStringValue(line.ParameterValues[start..end]);
            start = end;
        }

        w.WriteEndArray();
    }

    // A field that is always there once the line parsed, even when empty.
    private static void Text(Utf8JsonWriter w, JsonEncodedText name, ReadOnlySpan<byte> value, bool present)
    {
        if (present) w.WriteString(name, value);
        else w.WriteNull(name);
    }

    private static void TextOrNull(Utf8JsonWriter w, JsonEncodedText name, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void NumberOrNull(Utf8JsonWriter w, JsonEncodedText name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
