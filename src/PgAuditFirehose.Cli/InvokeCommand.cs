using System.CommandLine;
using System.Text;
using System.Text.Json;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Lambda;

namespace PgAuditFirehose.Cli;

/// <summary><c>invoke EVENT.json</c>: runs the Lambda handler in-process, as <c>sam local invoke -e</c> would.</summary>
internal static class InvokeCommand
{
    public static Command Create()
    {
        var eventFile = new Argument<FileInfo>("EVENT") { Description = "A Firehose transformation event (JSON), e.g. events/rds-sample.json" };
        var decode = new Option<bool>("--decode") { Description = "Show each record's result and decoded output instead of the response JSON" };
        var timeZone = LogTimeZoneOption.Create();
        var command = new Command("invoke", "Run the Lambda handler on an event file and print its response (configuration from OUTPUT_FORMAT, LOG_LINE_PREFIX, LOG_TIMEZONE, MAX_INFLATED_BYTES)")
        {
            eventFile,
            decode,
            timeZone,
        };
        command.SetAction(result => Run(result.GetValue(eventFile)!, result.GetValue(decode), result.GetValue(timeZone)!));
        return command;
    }

    private static int Run(FileInfo eventFile, bool decode, string timeZone)
    {
        if (!eventFile.Exists)
        {
            Console.Error.WriteLine($"error: event file '{eventFile.FullName}' does not exist");
            return 2;
        }

        TransformerOptions options;
        try
        {
            options = TransformerOptions.FromEnvironment(v => v == LogTimeZoneOption.Variable ? timeZone : Environment.GetEnvironmentVariable(v));
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        var function = new Function(options, Console.Error);
        using var input = eventFile.OpenRead();
        Stream output;
        try
        {
            output = function.FunctionHandler(input);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"error: {eventFile.Name}: {e.Message}");
            return 2;
        }

        if (!decode)
        {
            using var stdout = Console.OpenStandardOutput();
            output.CopyTo(stdout);
            stdout.Write("\n"u8);
            return 0;
        }

        var response = JsonSerializer.Deserialize(output, FirehoseJson.Relaxed.KinesisFirehoseResponse)!;
        foreach (var record in response.Records)
        {
            var keys = record.Metadata is null ? "" : " " + string.Join(" ", record.Metadata.PartitionKeys.Select(k => $"{k.Key}={k.Value}"));
            Console.WriteLine($"== {record.RecordId}: {record.Result}{keys}");
            if (record.Result == KinesisFirehoseResponse.TransformedStateOk)
            {
                Console.Write(Encoding.UTF8.GetString(Convert.FromBase64String(record.Base64EncodedData)));
            }
        }

        return 0;
    }
}
