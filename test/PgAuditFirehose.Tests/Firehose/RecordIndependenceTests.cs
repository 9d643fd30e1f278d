using System.Text;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Firehose;

/// <summary>
/// A record's outcome depends on its own data only: the buffers a transformer reuses from record to
/// record carry nothing from the one before.
/// </summary>
public class RecordIndependenceTests
{
    private static readonly string[] RealLines = [.. RealLog.WorkloadText.Split('\n').Where(l => l.Contains("AUDIT: ", StringComparison.Ordinal)).Take(6)];

    // Shapes, sizes and failures side by side: each a prefix or extension of another's bytes somewhere.
    private static readonly (string Name, byte[] Data)[] Varied =
    [
        ("gzip envelope", Gzip(Envelope(RealLines))),
        ("gzip envelope, one line", Gzip(Envelope(RealLines[..1]))),
        ("lone 0x1f", [0x1f]),
        ("gzip magic and method", [0x1f, 0x8b, 0x08]),
        ("gzip magic only", [0x1f, 0x8b]),
        ("truncated gzip", Gzip(Envelope(RealLines))[..^10]),
        ("plain JSON envelope", Envelope(RealLines)),
        ("plain JSON cut short", Envelope(RealLines)[..40]),
        ("lone brace", "{"u8.ToArray()),
        ("raw text line", Encoding.UTF8.GetBytes(RealLines[0])),
        ("raw text, not audit", "hello"u8.ToArray()),
        ("control message", SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.ControlMessage(1))),
        ("invalid UTF-8", [0xff, 0xfe, 0xfd]),
        ("single space", " "u8.ToArray()),
    ];

    private static byte[] Envelope(IEnumerable<string> lines) => SubscriptionEnvelopeWriter.DataMessage(
        "123456789012", Pipeline.LogGroup, Pipeline.LogStream, lines.Select((l, i) => new SubscriptionEnvelopeWriter.EnvelopeEvent($"{i}", 1648216304378 + i, l)));

    private static byte[] Gzip(byte[] json) => SubscriptionEnvelopeWriter.Gzip(json);

    private static string Outcome(KinesisFirehoseResponse.FirehoseRecord r) => $"{r.Result} {r.Base64EncodedData}";

    [Fact]
    public void Every_record_of_a_varied_set_comes_back_the_same_after_each_of_the_others_as_alone()
    {
        var alone = Varied.ToDictionary(v => v.Name, v => Outcome(Pipeline.Run(new KinesisFirehoseEvent { Records = [Pipeline.Record(v.Name, v.Data)] }).Response.Records[0]));

        var differences = new List<string>();
        foreach (var before in Varied)
        {
            foreach (var after in Varied)
            {
                var response = Pipeline.Run(new KinesisFirehoseEvent { Records = [Pipeline.Record(before.Name, before.Data), Pipeline.Record(after.Name, after.Data)] }).Response;
                if (Outcome(response.Records[1]) != alone[after.Name]) differences.Add($"'{after.Name}' after '{before.Name}': {response.Records[1].Result}, alone {alone[after.Name].Split(' ')[0]}");
            }
        }

        Assert.Empty(differences);
    }
}
