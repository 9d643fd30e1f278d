using Amazon.S3;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Overflow;

namespace PgAuditFirehose.Lambda;

/// <summary>
/// The Firehose data-transformation handler: <c>PgAuditFirehose.Lambda::PgAuditFirehose.Lambda.Function::FunctionHandler</c>.
/// It takes and returns the raw JSON streams, which the managed runtime passes without a serializer.
/// </summary>
// CA1716: "Function" is the name every Lambda sample and the handler string use.
#pragma warning disable CA1716
public sealed class Function
#pragma warning restore CA1716
{
    private readonly BatchTransformer _transformer;

    /// <summary>The runtime's constructor: configuration comes from the environment and is checked here, once.</summary>
    public Function() : this(TransformerOptions.FromEnvironment(), RawStandardOutput()) { }

    public Function(TransformerOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var overflow = options.OverflowBucket is null
            ? null
            // Made on first overflow, not at start: the SDK's set-up would lengthen every cold start.
            // Region and role credentials come from the environment Lambda sets.
            : new OverflowWriter(new Lazy<IObjectStore>(() => new S3ObjectStore(new AmazonS3Client(), options.OverflowBucket)), options.OverflowPrefix!);
        _transformer = new BatchTransformer(options, log, overflow);
    }

    public Stream FunctionHandler(Stream input) => _transformer.Transform(input);

    /// <summary>
    /// The managed runtime replaces Console.Out with a writer that puts "time, request id, level" before
    /// every WriteLine; a metric line must reach CloudWatch Logs as bare JSON to count as EMF, so the
    /// function writes to the process's standard output itself.
    /// </summary>
    internal static TextWriter RawStandardOutput() => new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false));
}
