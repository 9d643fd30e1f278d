using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Benchmarks;

/// <summary>
/// The handler against the floor — base64-decode, gunzip, base64-encode an output of the inflated
/// size — on the same batch, in the same run.
/// </summary>
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private byte[] _request = [];
    private byte[][] _records = [];
    private BatchTransformer _transformer = null!;
    private BatchTransformer _oneCore = null!;

    [ParamsSource(nameof(Scenarios))]
    public Scenario Batch { get; set; } = null!;

    public static IEnumerable<Scenario> Scenarios => Scenario.All;

    [GlobalSetup]
    public void Setup()
    {
        var request = Batch.Request;
        _request = Batches.Json(request);
        _records = [.. request.Records.Select(r => System.Text.Encoding.ASCII.GetBytes(r.Base64EncodedData))];
        _transformer = new BatchTransformer(new TransformerOptions(), TextWriter.Null);
        _oneCore = new BatchTransformer(new TransformerOptions { Parallelism = 1 }, TextWriter.Null);
    }

    [Benchmark(Baseline = true)]
    public long Floor()
    {
        long total = 0;
        var inflated = new MemoryStream();
        foreach (var base64 in _records)
        {
            var data = new byte[System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
            System.Buffers.Text.Base64.DecodeFromUtf8(base64, data, out _, out var written);
            inflated.SetLength(0);
            using (var gzip = new GZipStream(new MemoryStream(data, 0, written), CompressionMode.Decompress)) gzip.CopyTo(inflated);
            var encoded = new byte[System.Buffers.Text.Base64.GetMaxEncodedToUtf8Length((int)inflated.Length)];
            System.Buffers.Text.Base64.EncodeToUtf8(inflated.GetBuffer().AsSpan(0, (int)inflated.Length), encoded, out _, out var length);
            total += length;
        }

        return total;
    }

    /// <summary>The handler as Lambda runs it: records spread over the cores there are.</summary>
    [Benchmark]
    public long Handler() => Run(_transformer);

    /// <summary>The handler on one core, comparable with the single-threaded floor.</summary>
    [Benchmark]
    public long HandlerOneCore() => Run(_oneCore);

    private long Run(BatchTransformer transformer)
    {
        using var input = new MemoryStream(_request, writable: false);
        using var response = transformer.Transform(input);
        return response.Length;
    }
}
