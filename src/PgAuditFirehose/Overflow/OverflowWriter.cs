using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace PgAuditFirehose.Overflow;

/// <summary>
/// Writes the output of records that do not fit in the 6 MB response straight to the archive bucket,
/// gzip'd, under the partition the record would have gone to. The key comes from the record id, so a
/// retried or repeated invocation overwrites the same object instead of adding a duplicate.
/// </summary>
public sealed class OverflowWriter(Lazy<IObjectStore> store, OverflowPrefix prefix)
{
    // Enough to hide S3 latency, few enough for a small function's memory.
    private const int Concurrency = 8;

    public OverflowWriter(IObjectStore store, OverflowPrefix prefix) : this(new Lazy<IObjectStore>(store), prefix) { }

    /// <summary>The object key for a record: the expanded prefix, then a name derived from the record id.</summary>
    public string KeyFor(string recordId, IReadOnlyList<KeyValuePair<string, string>> partitionKeys, long arrivalMs)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recordId)))[..32];
        return $"{prefix.Expand(partitionKeys, arrivalMs)}overflow-{hash}.gz";
    }

    /// <summary>Writes every item; returns, per item, null or why it could not be written.</summary>
    public string?[] WriteAll(IReadOnlyList<OverflowItem> items)
    {
        var errors = new string?[items.Count];
        if (items.Count == 0) return errors;
        Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            try
            {
                await WriteAsync(items[i], ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TaskCanceledException)
            {
                errors[i] = $"writing s3://{store.Value.Bucket}/{items[i].Key} failed: {e.Message}";
            }
        }).GetAwaiter().GetResult();
        return errors;
    }

    private async Task WriteAsync(OverflowItem item, CancellationToken ct)
    {
        using var body = new MemoryStream(item.Body, writable: false);
        await store.Value.PutAsync(item.Key, body, ct).ConfigureAwait(false);
    }

    public static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var buffer = new MemoryStream(data.Length / 6 + 64);
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }
}

/// <summary>One record's output bound for S3, already gzip'd (<see cref="OverflowWriter.Gzip"/>).</summary>
public sealed record OverflowItem(string Key, byte[] Body);
