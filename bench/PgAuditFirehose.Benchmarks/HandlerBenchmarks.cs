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
    private byte[] _decoded = [];
    private byte[] _inflated = [];
    private byte[] _encoded = [];

    [ParamsSource(nameof(Scenarios))]
    public Scenario Batch { get; set; } = null!;

    public static IEnumerable<Scenario> Scenarios => Scenario.Selected(Environment.GetEnvironmentVariable("BENCH_BATCHES"));

    [GlobalSetup]
    public void Setup()
    {
        var request = Batch.Request;
        _request = Batches.Json(request);
        _records = [.. request.Records.Select(r => System.Text.Encoding.ASCII.GetBytes(r.Base64EncodedData))];
        _transformer = new BatchTransformer(new TransformerOptions(), TextWriter.Null);
        _oneCore = new BatchTransformer(new TransformerOptions { Parallelism = 1 }, TextWriter.Null);
    }

    /// <summary>
    /// The work no implementation can skip, done as cheaply as the framework allows: buffers are reused
    /// from record to record and batch to batch, so the floor pays for no allocation of its own.
    /// </summary>
    [Benchmark(Baseline = true)]
    public long Floor()
    {
        long total = 0;
        foreach (var base64 in _records)
        {
            Grow(ref _decoded, System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(base64.Length));
            System.Buffers.Text.Base64.DecodeFromUtf8(base64, _decoded, out _, out var written);
            var inflated = 0;
            using (var gzip = new GZipStream(new MemoryStream(_decoded, 0, written), CompressionMode.Decompress))
            {
                int read;
                do
                {
                    Grow(ref _inflated, inflated + 64 * 1024);
                    read = gzip.Read(_inflated, inflated, _inflated.Length - inflated);
                    inflated += read;
                }
                while (read > 0);
            }

            Grow(ref _encoded, System.Buffers.Text.Base64.GetMaxEncodedToUtf8Length(inflated));
            System.Buffers.Text.Base64.EncodeToUtf8(_inflated.AsSpan(0, inflated), _encoded, out _, out var length);
            total += length;
        }

        return total;
    }

    private static void Grow(ref byte[] buffer, int size)
    {
        if (buffer.Length < size) Array.Resize(ref buffer, Math.Max(size, buffer.Length * 2));
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
