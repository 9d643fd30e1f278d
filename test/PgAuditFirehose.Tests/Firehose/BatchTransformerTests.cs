using System.Text;
using System.Text.Json;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Firehose;

public class BatchTransformerTests
{
    private const string Ok = KinesisFirehoseResponse.TransformedStateOk;
    private const string Dropped = KinesisFirehoseResponse.TransformedStateDropped;
    private const string Failed = KinesisFirehoseResponse.TransformedStateProcessingFailed;

    private static readonly byte[] GoodEnvelope = SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage(
        "123456789012", Pipeline.LogGroup, Pipeline.LogStream, SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Take(40)));

    private static KinesisFirehoseEvent.FirehoseRecord Raw(string id, string base64) =>
        new() { RecordId = id, ApproximateArrivalTimestamp = 1, Base64EncodedData = base64 };

    [Fact]
    public void Every_record_id_comes_back_once_in_input_order()
    {
        var request = Pipeline.RealWorkloadEvent(perEnvelope: 7);
        request.Records.Insert(3, Raw("bad", "%%%"));
        var response = Pipeline.Run(request).Response;

        Assert.Equal(request.Records.Select(r => r.RecordId), response.Records.Select(r => r.RecordId));
    }

    [Fact]
    public void A_large_batch_transformed_on_both_cores_equals_its_records_transformed_one_by_one()
    {
        var request = new KinesisFirehoseEvent { InvocationId = "parallel" };
        for (var i = 0; i < 80; i++) request.Records.Add(Pipeline.Record($"rec-{i:D3}", i % 7 == 3 ? [1, 2, 3] : GoodEnvelope));
        Assert.True(request.Records.Sum(r => r.Base64EncodedData.Length) > 128 * 1024);

        var batch = Pipeline.Run(request).Response;
        var oneByOne = request.Records.Select(r => Pipeline.Run(new KinesisFirehoseEvent { Records = [r] }).Response.Records[0]);

        Assert.Equal(oneByOne.Select(r => (r.RecordId, r.Result, r.Base64EncodedData)), batch.Records.Select(r => (r.RecordId, r.Result, r.Base64EncodedData)));
    }

    [Fact]
    public void Control_message_is_dropped()
    {
        var request = Pipeline.RealWorkloadEvent();
        var response = Pipeline.Run(request).Response;

        Assert.Equal(Dropped, response.Records.Single(r => r.RecordId == "control").Result);
    }

    [Fact]
    public void Data_message_without_audit_lines_is_dropped_and_its_lines_counted()
    {
        var events = SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Where(e => !e.Message.Contains("AUDIT: ", StringComparison.Ordinal)).Take(5);
        var (response, log) = Pipeline.Run(Pipeline.Event(events, 10, control: false));

        Assert.Equal(Dropped, Assert.Single(response.Records).Result);
        Assert.Equal(5, Summary(log).GetProperty("SkippedLines").GetInt32());
    }

    [Fact]
    public void Data_message_with_server_records_only_is_ok()
    {
        var events = SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Where(e => e.Message.Contains("]:ERROR:  ", StringComparison.Ordinal)).Take(2);
        var (response, log) = Pipeline.Run(Pipeline.Event(events, 10, control: false));

        Assert.Equal(Ok, Assert.Single(response.Records).Result);
        Assert.Equal(2, Summary(log).GetProperty("ServerRecords").GetInt32());
        Assert.Equal(0, Summary(log).GetProperty("AuditLines").GetInt32());
    }

    [Theory]
    [InlineData("not base64 at all!", "not valid base64")]
    [InlineData("", "empty")]
    [InlineData("H4sIAAAAAAAAA8tIzcnJBwCGphA2BQAAAA==", "not a CloudWatch Logs envelope")]
    [InlineData("truncated-envelope", "truncated")]
    [InlineData("eyJtZXNzYWdlVHlwZSI6IkRBVEFfTUVTU0FHRSIsImxvZ0V2ZW50cyI6W3siaWQiOiIxIiw=", "not valid JSON")]
    [InlineData("//79", "not valid UTF-8")]
    public void Bad_data_fails_that_record_alone_with_its_original_data_and_a_log_line(string data, string reason)
    {
        if (data == "truncated-envelope") data = Convert.ToBase64String(GoodEnvelope[..^10]);
        var request = new KinesisFirehoseEvent
        {
            InvocationId = "inv",
            Records = [Pipeline.Record("good-1", GoodEnvelope), Raw("bad-record-id", data), Pipeline.Record("good-2", GoodEnvelope)],
        };
        var (response, log) = Pipeline.Run(request);

        Assert.Equal([Ok, Failed, Ok], response.Records.Select(r => r.Result));
        Assert.Equal(data, response.Records[1].Base64EncodedData);
        Assert.Null(response.Records[1].Metadata);
        var failure = LogLines(log).Single(l => l.GetProperty("message").GetString() == "record failed");
        Assert.Equal("bad-record-id", failure.GetProperty("recordId").GetString());
        Assert.Contains(reason, failure.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Gzip_bomb_fails_its_record_and_leaves_the_batch_intact()
    {
        var bomb = SubscriptionEnvelopeWriter.Gzip(new byte[16 << 20]);
        var request = new KinesisFirehoseEvent { Records = [Pipeline.Record("bomb", bomb), Pipeline.Record("good", GoodEnvelope)] };
        var (response, log) = Pipeline.Run(request, new TransformerOptions { MaxInflatedBytes = 4 << 20 });

        Assert.Equal([Failed, Ok], response.Records.Select(r => r.Result));
        Assert.Contains("more than the cap", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Ok_records_carry_the_cluster_its_account_and_the_instance_as_partition_keys()
    {
        var response = Pipeline.Run(Pipeline.RealWorkloadEvent()).Response;

        Assert.All(response.Records.Where(r => r.Result == Ok), r =>
        {
            Assert.Equal("prod-db", r.Metadata!.PartitionKeys["db_identifier"]);
            Assert.Equal("123456789012", r.Metadata.PartitionKeys["account_id"]);
            Assert.Equal("prod-db-instance-1.0", r.Metadata.PartitionKeys["log_stream"]);
        });
    }

    [Fact]
    public void Raw_text_records_get_placeholder_partition_keys()
    {
        var text = string.Join("\n", RealLog.WorkloadEntries.Take(40)) + "\n";
        var response = Pipeline.Run(new KinesisFirehoseEvent { Records = [Pipeline.Record("raw", Encoding.UTF8.GetBytes(text))] }).Response;
        var record = Assert.Single(response.Records);

        Assert.Equal(Ok, record.Result);
        Assert.Equal("unknown", record.Metadata!.PartitionKeys["db_identifier"]);
        Assert.Equal("unknown", record.Metadata.PartitionKeys["account_id"]);
        Assert.Equal("unknown", record.Metadata.PartitionKeys["log_stream"]);
    }

    [Theory]
    [InlineData("/aws/rds/instance/orders-db/postgresql", "weird/stream name", "orders-db", "weird_stream_name")]
    [InlineData("/my/own/group", "i-1", "unknown", "i-1")]
    public void Partition_keys_come_from_the_log_group_and_are_safe_in_s3_keys(string group, string stream, string db, string keyStream)
    {
        var data = SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage("1", group, stream, SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Take(20)));
        var record = Pipeline.Run(new KinesisFirehoseEvent { Records = [Pipeline.Record("r", data)] }).Response.Records[0];

        Assert.Equal(db, record.Metadata!.PartitionKeys["db_identifier"]);
        Assert.Equal(keyStream, record.Metadata.PartitionKeys["log_stream"]);
    }

    [Fact]
    public void Clusters_of_the_same_name_in_two_accounts_get_different_partition_keys()
    {
        var events = SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Take(20).ToList();
        var envelope = (string owner) => SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage(owner, "/aws/rds/cluster/orders/postgresql", "orders-1.0", events));
        var request = new KinesisFirehoseEvent { Records = [Pipeline.Record("a", envelope("111111111111")), Pipeline.Record("b", envelope("222222222222"))] };

        var keys = Pipeline.Run(request).Response.Records.Select(r => (r.Metadata!.PartitionKeys["account_id"], r.Metadata.PartitionKeys["db_identifier"]));

        Assert.Equal([("111111111111", "orders"), ("222222222222", "orders")], keys);
    }

    [Fact]
    public void A_batch_whose_output_overflows_six_million_bytes_fails_the_rest_and_stays_under_the_limit()
    {
        var request = new KinesisFirehoseEvent { InvocationId = "big" };
        for (var i = 0; i < 250; i++) request.Records.Add(Pipeline.Record($"rec-{i:D3}", GoodEnvelope));
        var bytes = Pipeline.RunToBytes(request);
        var response = JsonSerializer.Deserialize(bytes, FirehoseJson.Relaxed.KinesisFirehoseResponse)!;
        var (_, log) = Pipeline.Run(request);

        Assert.True(bytes.Length <= 6_000_000, $"response is {bytes.Length} bytes");
        Assert.Equal(request.Records.Select(r => r.RecordId), response.Records.Select(r => r.RecordId));
        Assert.Contains(response.Records, r => r.Result == Ok);
        Assert.Contains(response.Records, r => r.Result == Failed);
        // Once a record no longer fits, later ones come back failed with their original data.
        var firstFailed = response.Records.ToList().FindIndex(r => r.Result == Failed);
        Assert.All(response.Records.Skip(firstFailed), r => Assert.Equal(Failed, r.Result));
        Assert.All(response.Records.Skip(firstFailed), r => Assert.Equal(Convert.ToBase64String(GoodEnvelope), r.Base64EncodedData));
        Assert.Equal(250 - firstFailed, Summary(log).GetProperty("FailedForSizeRecords").GetInt32());
        Assert.Contains("do not fit", log, StringComparison.Ordinal);
    }

    [Fact]
    public void The_counted_response_size_is_the_written_size()
    {
        var request = Pipeline.RealWorkloadEvent(perEnvelope: 9);
        request.Records.Add(Raw("bad \"quoted\" id ü", "%%%"));
        request.Records.Add(Pipeline.Record("raw", Encoding.UTF8.GetBytes(RealLog.WorkloadEntries[12])));
        var bytes = Pipeline.RunToBytes(request);
        var (_, log) = Pipeline.Run(request);

        Assert.Equal(bytes.Length, Summary(log).GetProperty("ResponseBytes").GetInt64());
    }

    [Fact]
    public void Data_the_request_escaped_comes_back_failed_as_its_text_and_is_counted_so()
    {
        // "%%/" as \u escapes and \/, and a text with a quote and a backslash: neither is base64, so both come
        // back as they were, escaped anew, and the response is exactly the size its budget counted.
        var json = """{"invocationId":"escaped","records":[{"recordId":"a","approximateArrivalTimestamp":1,"data":"\u0025\u0025\/"},"""
            + """{"recordId":"b","approximateArrivalTimestamp":1,"data":"x\"y\\z\t"},"""
            + """{"recordId":"c","approximateArrivalTimestamp":1,"data":"%%%"}]}""";
        using var log = new StringWriter();
        using var output = new MemoryStream();
        new BatchTransformer(new TransformerOptions(), log).Transform(new MemoryStream(Encoding.UTF8.GetBytes(json)), output);
        var response = JsonSerializer.Deserialize(output.ToArray(), FirehoseJson.Relaxed.KinesisFirehoseResponse)!;

        Assert.Equal(["%%/", "x\"y\\z\t", "%%%"], response.Records.Select(r => r.Base64EncodedData));
        Assert.All(response.Records, r => Assert.Equal(Failed, r.Result));
        Assert.Equal(output.Length, Summary(log.ToString()).GetProperty("ResponseBytes").GetInt64());
    }

    [Fact]
    public void A_response_stays_intact_until_disposed_and_its_memory_serves_the_next_batch_only_then()
    {
        static MemoryStream Input(KinesisFirehoseEvent e) => new(JsonSerializer.SerializeToUtf8Bytes(e, FirehoseJson.Relaxed.KinesisFirehoseEvent));
        static byte[] Bytes(Stream s)
        {
            using var copy = new MemoryStream();
            s.Position = 0;
            s.CopyTo(copy);
            return copy.ToArray();
        }

        var large = Pipeline.RealWorkloadEvent(perEnvelope: 9);
        var small = Pipeline.Event(SubscriptionEnvelopeWriter.EventsFromLog(RealLog.WorkloadText, 0).Take(3), 3);
        var expectedLarge = Pipeline.RunToBytes(large);
        var expectedSmall = Pipeline.RunToBytes(small);
        var transformer = new BatchTransformer(new TransformerOptions(), TextWriter.Null);

        var first = transformer.Transform(Input(large));
        var second = transformer.Transform(Input(small));
        Assert.Equal(expectedLarge, Bytes(first));
        Assert.Equal(expectedSmall, Bytes(second));

        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.ReadByte());
        using var third = transformer.Transform(Input(small));
        using var fourth = transformer.Transform(Input(large));
        Assert.Equal(expectedSmall, Bytes(third));
        Assert.Equal(expectedLarge, Bytes(fourth));
        Assert.Equal(expectedSmall, Bytes(second));
        Assert.False(second.CanWrite);
        second.Dispose();
    }

    [Fact]
    public void A_tight_budget_still_returns_every_record()
    {
        var request = Pipeline.RealWorkloadEvent(perEnvelope: 9);
        var options = new TransformerOptions { MaxResponseBytes = 40_000 };
        var bytes = Pipeline.RunToBytes(request, options);
        var response = JsonSerializer.Deserialize(bytes, FirehoseJson.Relaxed.KinesisFirehoseResponse)!;

        Assert.True(bytes.Length <= 40_000);
        Assert.Equal(request.Records.Count, response.Records.Count);
        Assert.Contains(response.Records, r => r.Result == Ok);
    }

    [Fact]
    public void Random_bytes_never_make_the_handler_throw()
    {
        var random = new Random(42);
        var request = new KinesisFirehoseEvent();
        for (var i = 0; i < 300; i++)
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            if (i % 3 == 0 && data.Length > 2) (data[0], data[1]) = (0x1f, 0x8b);
            if (i % 5 == 0) data = GoodEnvelope[..random.Next(1, GoodEnvelope.Length)];
            request.Records.Add(Pipeline.Record($"f{i}", data));
        }

        var response = Pipeline.Run(request).Response;

        Assert.Equal(300, response.Records.Count);
        Assert.DoesNotContain(response.Records, r => r.Result == Ok && r.Base64EncodedData.Length == 0);
    }

    [Fact]
    public void Summary_line_counts_the_batch()
    {
        var (response, log) = Pipeline.Run(Pipeline.RealWorkloadEvent());
        var summary = Summary(log);

        Assert.Equal(response.Records.Count, summary.GetProperty("Records").GetInt32());
        Assert.Equal(response.Records.Count(r => r.Result == Ok), summary.GetProperty("OkRecords").GetInt32());
        var records = Pipeline.JsonRecords(response).ToList();
        Assert.Equal(records.Count(r => r.GetProperty("record_type").GetString() == "AUDIT"), summary.GetProperty("AuditLines").GetInt32());
        Assert.Equal(records.Count(r => r.GetProperty("record_type").GetString() != "AUDIT"), summary.GetProperty("ServerRecords").GetInt32());
        Assert.True(summary.GetProperty("ServerRecords").GetInt32() > 0);
    }

    private static IEnumerable<JsonElement> LogLines(string log) =>
        log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone());

    private static JsonElement Summary(string log) => LogLines(log).Single(l => l.GetProperty("message").GetString() == "batch transformed");

    [Fact]
    public void A_record_whose_output_passes_what_the_memory_allows_fails_alone_with_its_data_and_the_reason()
    {
        // Output may be twice the cap: 300 of the shortest line of 64 KiB inflated write well over 128 KiB of JSON.
        var line = RealLog.WorkloadText.Split('\n').Where(l => l.Contains("AUDIT: ", StringComparison.Ordinal)).MinBy(l => l.Length)!;
        var events = Enumerable.Range(0, 300).Select(i => new SubscriptionEnvelopeWriter.EnvelopeEvent($"{i}", 1, line));
        var big = SubscriptionEnvelopeWriter.Gzip(SubscriptionEnvelopeWriter.DataMessage("123456789012", Pipeline.LogGroup, Pipeline.LogStream, events));
        var request = new KinesisFirehoseEvent { InvocationId = "inv", Records = [Pipeline.Record("good", GoodEnvelope), Pipeline.Record("big", big)] };

        var (response, log) = Pipeline.Run(request, new TransformerOptions { MaxInflatedBytes = 64 * 1024 });

        Assert.Equal([Ok, Failed], response.Records.Select(r => r.Result));
        Assert.Equal(request.Records[1].Base64EncodedData, response.Records[1].Base64EncodedData);
        Assert.True(log.Contains("its output passes 131072 bytes, which the function", StringComparison.Ordinal), log);
    }
}
