using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.LogFiles;

namespace PgAuditFirehose.Cli;

/// <summary>
/// <c>make-event LOGFILE</c>: wraps a PostgreSQL stderr log into a Firehose transformation event the
/// way CloudWatch Logs and Firehose would (envelopes, gzip, base64), for fixtures and local tries.
/// </summary>
internal static class MakeEventCommand
{
    public static Command Create()
    {
        var logFile = new Argument<string>("LOGFILE")
        {
            Description = "A PostgreSQL stderr log (a server's log file, or one downloaded from RDS), plain or gzip'd; '-' reads standard input",
        };
        var perEnvelope = new Option<int>("--events-per-envelope")
        {
            Description = "Log events per CloudWatch Logs envelope (one Firehose record each)",
            DefaultValueFactory = _ => 50,
            CustomParser = r => WholeNumber.Parse(r, minimum: 1),
        };
        var group = new Option<string>("--log-group") { Description = "The envelopes' logGroup", DefaultValueFactory = _ => "/aws/rds/cluster/pgaudit-demo/postgresql" };
        var stream = new Option<string>("--log-stream") { Description = "The envelopes' logStream", DefaultValueFactory = _ => "pgaudit-demo-instance-1.0" };
        var owner = new Option<string>("--owner") { Description = "The envelopes' owner (AWS account id)", DefaultValueFactory = _ => "123456789012" };
        var noControl = new Option<bool>("--no-control") { Description = "Leave out the CONTROL_MESSAGE record" };
        var shape = new Option<string>("--shape")
        {
            Description = "GzipEnvelope (what a subscription filter sends), JsonEnvelope (after Firehose decompression) or RawText (after message extraction)",
            DefaultValueFactory = _ => nameof(RecordShape.GzipEnvelope),
            HelpName = string.Join('|', Enum.GetNames<RecordShape>()),
        };
        shape.AcceptOnlyFromAmong(Enum.GetNames<RecordShape>());
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the event here instead of standard output" };
        var command = new Command("make-event", "Turn a PostgreSQL stderr log into a Firehose transformation event (JSON), e.g. make-event events/source/seed-blog.log -o event.json")
        {
            logFile, perEnvelope, group, stream, owner, noControl, shape, output,
        };
        command.SetAction(r => Run(
            r.GetValue(logFile)!, r.GetValue(perEnvelope), r.GetValue(group)!, r.GetValue(stream)!, r.GetValue(owner)!,
            !r.GetValue(noControl), Enum.Parse<RecordShape>(r.GetValue(shape)!), r.GetValue(output)));
        return command;
    }

    private static int Run(string logFile, int perEnvelope, string group, string stream, string owner, bool control, RecordShape shape, FileInfo? output)
    {
        InputFile.MustExist(logFile);
        var name = InputFile.NameOf(logFile);
        byte[] bytes;
        try
        {
            bytes = InputFile.ReadAll(logFile);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"{name}: cannot be read: {e.Message}");
        }

        var problem = LogFileFormat.Check(bytes.AsSpan(0, Math.Min(bytes.Length, LogFileFormat.HeadLength)), prefix: null);
        if (problem is not null) throw new UsageException($"{name}: {problem}");

        var events = SubscriptionEnvelopeWriter.EventsFromLog(Encoding.UTF8.GetString(bytes), 0).ToList();
        if (events.Count == 0 && !control)
        {
            throw new UsageException($"'{name}' holds no log lines");
        }

        var request = new KinesisFirehoseEvent
        {
            InvocationId = "00540a87-5050-496a-84e4-e7d92bbaf5e2",
            DeliveryStreamArn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/pgaudit-firehose",
            Region = "us-east-1",
        };
        var first = events.Count > 0 ? events[0].Timestamp : 1648216304378;
        if (control) Add(request, SubscriptionEnvelopeWriter.ControlMessage(first), first, shape);
        foreach (var chunk in events.Chunk(perEnvelope))
        {
            var data = shape == RecordShape.RawText
                ? Encoding.UTF8.GetBytes(string.Join("\n", chunk.Select(e => e.Message)) + "\n")
                : SubscriptionEnvelopeWriter.DataMessage(owner, group, stream, chunk);
            Add(request, data, chunk[^1].Timestamp, shape);
        }

        using var target = output is null ? Console.OpenStandardOutput() : output.Create();
        using (var writer = new Utf8JsonWriter(target, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(writer, request, FirehoseJson.Relaxed.KinesisFirehoseEvent);
        }

        target.Write("\n"u8);
        return 0;
    }

    private static void Add(KinesisFirehoseEvent request, byte[] data, long arrival, RecordShape shape)
    {
        var payload = shape == RecordShape.GzipEnvelope ? SubscriptionEnvelopeWriter.Gzip(data) : data;
        request.Records.Add(new KinesisFirehoseEvent.FirehoseRecord
        {
            RecordId = string.Create(CultureInfo.InvariantCulture, $"4965400000000000000000000000000000000000000000000000{request.Records.Count:D4}"),
            ApproximateArrivalTimestamp = arrival,
            Base64EncodedData = Convert.ToBase64String(payload),
        });
    }
}
