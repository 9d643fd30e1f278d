using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace PgAuditFirehose.Cli.Replay;

/// <summary>The S3 client for <c>replay-failed</c>: AWS as configured (profile, environment, role), or an emulator at --endpoint-url.</summary>
internal static class S3ClientFactory
{
    /// <param name="endpointUrl">e.g. http://127.0.0.1:5000 for moto: path-style addressing, signed for <paramref name="region"/> (default us-east-1).</param>
    /// <param name="credentials">Null: the SDK's default chain (environment, profile, SSO, container or instance role).</param>
    public static AmazonS3Client Create(string? endpointUrl, string? region, AWSCredentials? credentials)
    {
        var config = new AmazonS3Config();
        if (endpointUrl is not null)
        {
            // ServiceURL plus an explicit signing region: the SDK then never looks a region up (no instance metadata call).
            config.ServiceURL = endpointUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
