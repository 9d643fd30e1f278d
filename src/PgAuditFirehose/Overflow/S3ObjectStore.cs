using Amazon.S3;
using Amazon.S3.Model;

namespace PgAuditFirehose.Overflow;

/// <summary>Puts objects into one S3 bucket. Kept apart so the AWS SDK loads only when overflow first happens.</summary>
public sealed class S3ObjectStore(IAmazonS3 s3, string bucket) : IObjectStore
{
    public string Bucket { get; } = bucket;

    public async Task PutAsync(string key, Stream body, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = body, ContentType = "application/gzip" };
        await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Where overflow objects are put.</summary>
public interface IObjectStore
{
    string Bucket { get; }

    Task PutAsync(string key, Stream body, CancellationToken cancellationToken);
}
