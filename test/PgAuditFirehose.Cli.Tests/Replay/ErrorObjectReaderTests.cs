using PgAuditFirehose.Cli.Replay;
using static PgAuditFirehose.Cli.Tests.Replay.FirehoseErrorObjects;

namespace PgAuditFirehose.Cli.Tests.Replay;

public sealed class ErrorObjectReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_line_of_an_error_object_is_a_record_with_its_line_number_gzip_or_not(bool gzip)
    {
        using var content = new MemoryStream(Object(RealWorkload.Select(Line), gzip));

        var lines = ErrorObjectReader.Read(content).ToList();

        Assert.Equal(Enumerable.Range(1, RealWorkload.Count), lines.Select(l => l.Line));
        Assert.Equal(RealWorkload.Select(r => r.Base64EncodedData), lines.Select(l => l.Record!.RawData));
        Assert.Equal(RealWorkload.Select(r => (long?)r.ApproximateArrivalTimestamp), lines.Select(l => l.Record!.ArrivalTimestamp));
        Assert.All(lines, l => Assert.Equal("Lambda.FunctionError", l.Record!.ErrorCode));
    }

    [Fact]
    public void Blank_lines_are_skipped_but_counted()
    {
        using var content = new MemoryStream(Object(["", Line(RealWorkload[0]), "  "]));

        Assert.Equal([2], ErrorObjectReader.Read(content).Select(l => l.Line));
    }

    [Theory]
    [InlineData("{\"rawData\":", "not JSON: ")]
    [InlineData("\"just a string\"", "a JSON string, not an error record object")]
    [InlineData("{\"errorCode\":\"Lambda.FunctionError\"}", "no rawData string: not a Firehose error record")]
    [InlineData("{\"rawData\":42}", "no rawData string: not a Firehose error record")]
    [InlineData("{\"rawData\":\"this is not base64!\"}", "rawData is not base64")]
    [InlineData("{\"rawData\":\"\"}", "rawData is not base64")]
    public void A_line_that_is_not_a_failed_record_says_why(string line, string reason)
    {
        var parsed = ErrorObjectReader.Parse(7, line);

        Assert.Null(parsed.Record);
        Assert.Equal(7, parsed.Line);
        Assert.StartsWith(reason, parsed.Malformed, StringComparison.Ordinal);
    }
}
