using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

namespace PgAuditFirehose.Tests.Support;

/// <summary>
/// moto's S3 on 127.0.0.1, started with scripts/moto-server.sh for the tests that write to S3. When it
/// cannot start the tests skip with how to install it — or fail when CI=true.
/// </summary>
public sealed class MotoS3 : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("moto-tests.").FullName;
    private readonly Lazy<string> _endpoint;

    public MotoS3() => _endpoint = new Lazy<string>(Start);

    public AmazonS3Client Client()
    {
        string endpoint;
        try
        {
            endpoint = _endpoint.Value;
        }
        catch (InvalidOperationException e) when (!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip.If(true, $"{e.Message}\nInstall moto's server with `pip install 'moto[server]'`. (With CI=true this is a failure.)");
            throw;
        }

        // An explicit endpoint, signing region and dummy keys: nothing reaches for real AWS.
        var config = new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" };
        return new AmazonS3Client(new BasicAWSCredentials("testing", "testing"), config);
    }

    public void Dispose()
    {
        if (_endpoint.IsValueCreated) Run("stop");
        Directory.Delete(_directory, recursive: true);
    }

    private string Start()
    {
        var (exit, output) = Run("start");
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("export MOTO_ENDPOINT=", StringComparison.Ordinal));
        if (exit != 0 || line is null) throw new InvalidOperationException($"scripts/moto-server.sh start failed ({exit}): {output}");
        return line["export MOTO_ENDPOINT=".Length..].Trim('\'', '"');
    }

    private (int Exit, string Output) Run(string verb)
    {
        var start = new ProcessStartInfo(Repository.PathOf("scripts/moto-server.sh"), [verb, _directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}

[CollectionDefinition(Name)]
public sealed class MotoS3Tests : ICollectionFixture<MotoS3>
{
    public const string Name = "moto S3";
}
