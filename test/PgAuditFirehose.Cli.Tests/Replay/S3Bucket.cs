using System.IO.Compression;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace PgAuditFirehose.Cli.Tests.Replay;

/// <summary>A fresh bucket on the emulator, and what the tests need to look into it.</summary>
internal sealed class S3Bucket(IAmazonS3 s3, string name)
{
    public string Name { get; } = name;

    public static async Task<S3Bucket> CreateAsync(IAmazonS3 s3)
    {
        var name = "archive-" + Guid.NewGuid().ToString("N")[..16];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return new S3Bucket(s3, name);
    }

    public Task PutAsync(string key, byte[] body) =>
        s3.PutObjectAsync(new PutObjectRequest { BucketName = Name, Key = key, InputStream = new MemoryStream(body) });

    /// <summary>Every object: key → ETag and last-modified time, to see whether anything was written.</summary>
    public async Task<SortedDictionary<string, (string ETag, DateTime? LastModified)>> ListAsync(string prefix = "")
    {
        var objects = new SortedDictionary<string, (string, DateTime?)>(StringComparer.Ordinal);
        await foreach (var o in s3.Paginators.ListObjectsV2(new ListObjectsV2Request { BucketName = Name, Prefix = prefix }).S3Objects)
        {
            objects.Add(o.Key, (o.ETag, o.LastModified));
        }

        return objects;
    }

    public async Task<string?> ReplayTagAsync(string key)
    {
        var tags = (await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Name, Key = key })).Tagging ?? [];
        return tags.FirstOrDefault(t => t.Key == "pgaudit-firehose-replayed")?.Value;
    }

    /// <summary>An output object's lines, gunzip'd.</summary>
    public async Task<string[]> LinesAsync(string key)
    {
        using var response = await s3.GetObjectAsync(Name, key);
        using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
