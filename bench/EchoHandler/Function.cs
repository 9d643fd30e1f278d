namespace EchoHandler;

/// <summary>Returns its input: the least a Stream handler can do.</summary>
#pragma warning disable CA1716 // "Function", as in every Lambda sample
public sealed class Function
#pragma warning restore CA1716
{
    public Stream FunctionHandler(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = new MemoryStream();
        input.CopyTo(output);
        output.Position = 0;
        return output;
    }
}
