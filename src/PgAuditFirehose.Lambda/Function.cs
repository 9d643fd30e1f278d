using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Lambda;

/// <summary>
/// The Firehose data-transformation handler: <c>PgAuditFirehose.Lambda::PgAuditFirehose.Lambda.Function::FunctionHandler</c>.
/// It takes and returns the raw JSON streams, which the managed runtime passes without a serializer.
/// </summary>
// CA1716: "Function" is the name every Lambda sample and the handler string use.
#pragma warning disable CA1716
public sealed class Function : IDisposable
#pragma warning restore CA1716
{
    private readonly BatchTransformer _transformer;

    /// <summary>The runtime's constructor: configuration comes from the environment and is checked here, once.</summary>
    public Function() : this(TransformerOptions.FromEnvironment(), Console.Out) { }

    public Function(TransformerOptions options, TextWriter log) => _transformer = new BatchTransformer(options, log);

    public Stream FunctionHandler(Stream input)
    {
        var output = new MemoryStream();
        _transformer.Transform(input, output);
        output.Position = 0;
        return output;
    }

    public void Dispose() => _transformer.Dispose();
}
