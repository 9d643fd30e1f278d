using System.CommandLine;
using System.Text;
using System.Text.Json;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Cli.Settings;
using PgAuditFirehose.Lambda;

namespace PgAuditFirehose.Cli;

/// <summary><c>invoke EVENT.json</c>: runs the Lambda handler in-process, as <c>sam local invoke -e</c> would.</summary>
internal static class InvokeCommand
{
    public static Command Create()
    {
        var eventFile = new Argument<string>("EVENT") { Description = "A Firehose transformation event (JSON, or gzip'd), e.g. events/seed-blog.json; '-' reads standard input" };
        var decode = new Option<bool>("--decode") { Description = "Show each record's result and decoded output instead of the response JSON" };
        var command = new Command("invoke", "Run the Lambda handler on an event file and print its response, as sam local invoke -e would")
        {
            eventFile,
            decode,
        };
        var settings = new SettingOptions(command, CliSettings.Transformation);
        command.SetAction(result => Run(result.GetValue(eventFile)!, result.GetValue(decode), settings.Resolve(result).Transformer()));
        return command;
    }

    private static int Run(string eventFile, bool decode, TransformerOptions options)
    {
        InputFile.MustExist(eventFile);
        var function = new Function(options, Console.Error);
        var (raw, input) = InputFile.Open(eventFile);
        using var rawStream = raw;
        using var inputStream = input;
        Stream output;
        try
        {
            output = function.FunctionHandler(input);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"{InputFile.NameOf(eventFile)}: {e.Message}");
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
