using System.Text;
using System.Text.Json;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Firehose;

/// <summary>
/// A request Firehose would never send, or one no answer fits, fails the invocation with its reason
/// (Firehose retries it and keeps the batch); it is never answered for fewer or other records than it holds.
/// </summary>
public class UnreadableRequestTests
{
    private const string ThreeRecords =
        "{\"invocationId\":\"inv\",\"records\":[" +
        "{\"recordId\":\"a\",\"approximateArrivalTimestamp\":1,\"data\":\"QQ==\"}," +
        "{\"recordId\":\"b\",\"approximateArrivalTimestamp\":2,\"data\":\"Qg==\"}," +
        "{\"recordId\":\"c\",\"approximateArrivalTimestamp\":3,\"data\":\"Qw==\"}]}";

    private static Stream Run(string json, TransformerOptions? options = null) =>
        new BatchTransformer(options ?? new TransformerOptions(), TextWriter.Null).Transform(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void The_well_formed_request_these_are_made_from_is_answered_for_its_three_records()
    {
        using var response = Run(ThreeRecords);
        using var document = JsonDocument.Parse(response);

        Assert.Equal(3, document.RootElement.GetProperty("records").GetArrayLength());
    }

    [Theory]
    [InlineData("\"approximateArrivalTimestamp\":1,", "\"approximateArrivalTimestamp\":{},", "approximateArrivalTimestamp")]
    [InlineData("\"approximateArrivalTimestamp\":1,", "\"approximateArrivalTimestamp\":[1,{\"recordId\":\"z\"}],", "approximateArrivalTimestamp")]
    [InlineData("\"invocationId\":\"inv\"", "\"invocationId\":{\"records\":[]}", "invocationId")]
    [InlineData("\"invocationId\":\"inv\"", "\"invocationId\":[{\"records\":[]}]", "invocationId")]
    [InlineData("\"invocationId\":\"inv\",", "\"invocationId\":\"inv\",\"records\":[{\"recordId\":\"x\"}],", "more than one records array")]
    [InlineData("\"records\":[{", "\"records\":[1,2,{", "record 0 is a Number")]
    [InlineData("\"data\":\"Qw==\"}]", "\"data\":\"Qw==\"},[]]", "record 3 is a StartArray")]
    public void A_request_firehose_never_sends_fails_the_invocation_with_the_reason(string original, string replacement, string reason)
    {
        var json = ThreeRecords.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(ThreeRecords, json);

        var error = Assert.Throws<InvalidDataException>(() => Run(json));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_that_are_not_objects_fail_the_invocation()
    {
        var error = Assert.Throws<InvalidDataException>(() => Run("{\"invocationId\":\"inv\",\"records\":[1,2]}"));

        Assert.Contains("record 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_whose_every_record_failed_would_not_fit_the_response_fails_the_invocation_with_that_reason()
    {
        // As 210,000 tiny records without timestamps against 6,000,000 bytes, at a tenth of the scale.
        var options = new TransformerOptions { MaxResponseBytes = 600_000 };
        var records = string.Join(",", Enumerable.Range(0, 21_000).Select(i => $"{{\"recordId\":\"{i}\",\"data\":\"QQ==\"}}"));

        var error = Assert.Throws<InvalidDataException>(() => Run($"{{\"invocationId\":\"inv\",\"records\":[{records}]}}", options));

        Assert.Contains("cannot be answered within 600000 bytes even with every record failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_whose_every_record_failed_would_just_fit_is_answered()
    {
        var options = new TransformerOptions { MaxResponseBytes = 600_000 };
        var records = string.Join(",", Enumerable.Range(0, 1_000).Select(i => $"{{\"recordId\":\"{i}\",\"data\":\"QQ==\"}}"));

        using var response = Run($"{{\"invocationId\":\"inv\",\"records\":[{records}]}}", options);
        using var document = JsonDocument.Parse(response);

        Assert.Equal(1_000, document.RootElement.GetProperty("records").GetArrayLength());
    }
}
