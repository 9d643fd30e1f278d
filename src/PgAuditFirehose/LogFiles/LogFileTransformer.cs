using System.Buffers;
using System.Text;
using System.Text.Unicode;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;
using PgAuditFirehose.ServerLog;
using PgAuditFirehose.Redaction;

namespace PgAuditFirehose.LogFiles;

/// <summary>
/// Turns a PostgreSQL stderr log file (a server's log, or one downloaded from RDS) into audit records,
/// NDJSON or CSV, the same records the Lambda writes but without CloudWatch Logs metadata. Streams:
/// memory stays at the buffer size whatever the file's size, except for an entry longer than the buffer.
/// One instance per thread.
/// </summary>
public sealed class LogFileTransformer
{
    public const int DefaultBufferSize = 1024 * 1024;

    private const int FlushThreshold = 64 * 1024;

    private readonly OutputFormat _format;
    private readonly LogLinePrefix _prefix;
    private readonly AuditLineParser _parser;
    private readonly ServerRecordAssembler _serverLog;
    private readonly int _bufferSize;
    private readonly ArrayBufferWriter<byte> _output = new(FlushThreshold * 2);
    private readonly LineRedactor? _redactor;

    /// <summary>The records the function would write with these options (the overflow and size limits aside).</summary>
    public LogFileTransformer(Firehose.TransformerOptions options, int bufferSize = DefaultBufferSize)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Prefix, options.Format, bufferSize, options.TimeZone, options.RedactSecrets)
    {
    }

    /// <param name="timeZone">The server's log_timezone; null: UTC.</param>
    /// <param name="redactSecrets">Secrets in the records' text become &lt;REDACTED&gt; (docs/redaction.md).</param>
    public LogFileTransformer(LogLinePrefix prefix, OutputFormat format, int bufferSize = DefaultBufferSize, LogTimeZone? timeZone = null, bool redactSecrets = true)
    {
        _redactor = redactSecrets ? new LineRedactor() : null;
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1024);
        _prefix = prefix;
        _format = format;
        _bufferSize = bufferSize;
        _parser = new AuditLineParser(prefix, timeZone);
        _serverLog = new ServerRecordAssembler(prefix, timeZone ?? LogTimeZone.Utc, format, redactSecrets);
    }

    /// <summary>
    /// Reads <paramref name="input"/> to its end and writes one record per audit line to <paramref name="output"/>.
    /// Throws <see cref="InvalidDataException"/>, before writing anything, when the input does not look like a
    /// stderr log with this <c>log_line_prefix</c> (see <see cref="LogFileFormat"/>).
    /// <paramref name="progress"/> is called after every buffer's worth of input.
    /// </summary>
    public LogFileSummary Transform(Stream input, Stream output, Action<LogFileSummary>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var reader = new LogEntryReader(input, _bufferSize);
        var problem = LogFileFormat.Check(reader.Peek(LogFileFormat.HeadLength), _prefix);
        if (problem is not null) throw new InvalidDataException(problem);

        long entries = 0, audit = 0, skipped = 0, failed = 0;
        long? firstFailure = null;
        var reported = 0L;
        _output.ResetWrittenCount();
        _serverLog.Start(RecordColumns.None);
        var noSource = new AuditSource { Record = RecordColumns.None };
        while (reader.TryTake(out var entry))
        {
            entries++;
            if (!Utf8.IsValid(entry)) entry = Repaired(entry);
            if (!_parser.TryParse(entry, out var line))
            {
                _serverLog.Take(_output, entry, in noSource);
            }
            else
            {
                _serverLog.AuditLine(_output);
                audit++;
                if (line.ParseError is not null && failed++ == 0) firstFailure = reader.EntryLine;
                _redactor?.Redact(ref line);
                Write(in line);
            }

            if (_output.WrittenCount >= FlushThreshold) Flush(output);
            if (reader.BytesRead - reported >= _bufferSize)
            {
                reported = reader.BytesRead;
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(Summary());
            }
        }

        _serverLog.End(_output);
        Flush(output);
        output.Flush();
        var summary = Summary();
        progress?.Invoke(summary);
        return summary;

        LogFileSummary Summary()
        {
            var lines = reader.NewlinesRead + (reader.EndsWithNewline ? 0 : 1);
            return new LogFileSummary(reader.BytesRead, lines, entries, audit, skipped + _serverLog.Skipped, failed, firstFailure, _serverLog.Records);
        }
    }

    private void Write(scoped in AuditLine line)
    {
        // A file has no CloudWatch Logs source: log_group and the other source columns stay null.
        var source = new AuditSource { Record = RecordColumns.None };
        AuditRecordWriter.Write(_format, _output, in line, in source);
    }

    private void Flush(Stream output)
    {
        output.Write(_output.WrittenSpan);
        _output.ResetWrittenCount();
    }

    // A log from a SQL_ASCII or LATIN1 database can hold bytes that are not UTF-8; the writers copy text as it
    // is (the Lambda's text was checked when its envelope JSON was read), so invalid sequences become U+FFFD here.
    private static byte[] Repaired(ReadOnlySpan<byte> entry) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(entry));
}
