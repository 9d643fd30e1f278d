namespace PgAuditFirehose.Firehose;

/// <summary>
/// How much of the function's memory one record may take, and how many records are transformed at
/// once, so that no request Firehose can deliver takes the process past its memory: a record that
/// would not fit fails alone (ProcessingFailed with its data and the reason) instead.
/// </summary>
public sealed record MemoryBudget
{
    /// <summary>The least a process is taken to have when <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> is absent (the template's default).</summary>
    public const int DefaultFunctionMemoryMB = 1024;

    /// <summary>Outside Lambda (the CLI, tests): the memory the GC sees, and no less than the template's default.</summary>
    public static int LocalMemoryMB => (int)Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >> 20, DefaultFunctionMemoryMB, int.MaxValue);

    /// <summary>The output a record may have per inflated byte (JSON runs to about twice the log text); past it, the record fails.</summary>
    public const int OutputBytesPerInflatedByte = 2;

    /// <summary>
    /// Memory held per inflated byte of the record being transformed: the inflated envelope (1), its
    /// unescaped text (1), the output at its limit while it grows (old and new array, 2 x 2), and room
    /// for the large-object heap's gaps (2): measured, a 59 MB record needs no more.
    /// </summary>
    public const int BytesPerInflatedByte = 2 + (2 * OutputBytesPerInflatedByte) + 2;

    // In a memory-limited container the GC's heap is limited to three quarters of the memory (the
    // runtime's own ~45 MB lives in the rest); of the heap, the request and response buffers (6 MB
    // each), the outputs kept for the response (4.5 MB) and the decode buffers are set aside.
    private const int ReservedHeapMB = 40;

    // Below this much per record a second record in flight is worth less than a larger cap.
    private const long MinPerRecordBytes = 48L << 20;

    private MemoryBudget(int functionMemoryMB, int recordsInFlight, int maxInflatedBytes)
    {
        FunctionMemoryMB = functionMemoryMB;
        RecordsInFlight = recordsInFlight;
        MaxInflatedBytes = maxInflatedBytes;
    }

    public int FunctionMemoryMB { get; }

    /// <summary>How many records are transformed (and their outputs held) at once.</summary>
    public int RecordsInFlight { get; }

    /// <summary>The inflation cap the memory allows (at most <see cref="TransformerOptions.DefaultMaxInflatedBytes"/>).</summary>
    public int MaxInflatedBytes { get; }

    /// <summary>The budget of a function with <paramref name="functionMemoryMB"/> MB and <paramref name="cores"/> cores.</summary>
    public static MemoryBudget For(int functionMemoryMB, int cores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(functionMemoryMB, 128);
        var spare = ((long)functionMemoryMB * 3 / 4 - ReservedHeapMB) << 20;
        var inFlight = (int)Math.Clamp(spare / (BytesPerInflatedByte * MinPerRecordBytes), 1, Math.Max(1, cores));
        var cap = Math.Min(TransformerOptions.DefaultMaxInflatedBytes, spare / BytesPerInflatedByte / inFlight);
        return new MemoryBudget(functionMemoryMB, inFlight, (int)cap);
    }
}
