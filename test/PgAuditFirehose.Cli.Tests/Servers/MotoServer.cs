using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using PgAuditFirehose.Cli.Replay;

namespace PgAuditFirehose.Cli.Tests.Servers;

/// <summary>
/// moto's S3 on 127.0.0.1, started with scripts/moto-server.sh on first use and stopped after the collection.
/// Clients get dummy credentials and an explicit signing region, so nothing ever reaches for real AWS.
/// </summary>
public sealed class MotoServer : IDisposable
{
    private const string HowToInstall = "Install moto's server with `pip install 'moto[server]'` (it provides moto_server).";

    /// <summary>What the tests sign with; moto accepts any.</summary>
    public static readonly BasicAWSCredentials Credentials = new("testing", "testing");

    private readonly string _directory = Directory.CreateTempSubdirectory("moto-cli.").FullName;
    private readonly Lazy<string> _endpoint;

    public MotoServer() => _endpoint = new Lazy<string>(Start);

    public string Endpoint => Unavailable.Require(_endpoint, HowToInstall);

    public AmazonS3Client CreateClient() => S3ClientFactory.Create(Endpoint, "us-east-1", Credentials);

    public void Dispose()
    {
        Script.Run("moto-server.sh", ["stop", _directory]);
        Directory.Delete(_directory, recursive: true);
    }

    private string Start()
    {
        var (exit, stdout, stderr) = Script.Run("moto-server.sh", ["start", _directory], new Dictionary<string, string?>
        {
            ["MOTO_PORT"] = Script.FreePort().ToString(CultureInfo.InvariantCulture),
        });
        if (exit != 0) throw new Unavailable($"scripts/moto-server.sh start exited with {exit}: {stderr.Trim()}");
        return Script.Exports(stdout)["MOTO_ENDPOINT"];
    }
}

[CollectionDefinition(Name)]
public sealed class MotoServerDefinition : ICollectionFixture<MotoServer>
{
    public const string Name = "moto S3";
}
