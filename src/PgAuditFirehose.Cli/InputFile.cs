using System.IO.Compression;

namespace PgAuditFirehose.Cli;

/// <summary>
/// How every command opens a file it reads: a path, or <c>-</c> for standard input; gzip'd input (found by its
/// magic bytes, whatever its name, standard input too) is inflated as it is read.
/// </summary>
internal static class InputFile
{
    public const string StandardInput = "-";

    public static string NameOf(string path) => path == StandardInput ? "<stdin>" : path;

    /// <summary>Throws <see cref="UsageException"/> for a path that is not there.</summary>
    public static void MustExist(string path)
    {
        if (path == StandardInput || File.Exists(path)) return;
        // A log-file argument takes any word, so a mistyped option arrives here.
        throw new UsageException(path.StartsWith('-') ? $"unknown option '{path}'" : $"file '{Path.GetFullPath(path)}' does not exist");
    }

    /// <summary>The raw bytes (to follow progress by), and what to read: inflated when they are gzip.</summary>
    public static (Stream Raw, Stream Content) Open(string path)
    {
        var raw = path == StandardInput ? Console.OpenStandardInput() : File.OpenRead(path);
        return (raw, Inflated(raw));
    }

    /// <summary>The whole content, inflated when it is gzip (standard input too).</summary>
    public static byte[] ReadAll(string path)
    {
        using var raw = path == StandardInput ? Console.OpenStandardInput() : File.OpenRead(path);
        using var copy = new MemoryStream();
        raw.CopyTo(copy);
        copy.Position = 0;
        using var content = Inflated(copy);
        if (ReferenceEquals(content, copy)) return copy.ToArray();
        using var inflated = new MemoryStream();
        content.CopyTo(inflated);
        return inflated.ToArray();
    }

    // Rotated logs are often gzip'd: the first bytes are sniffed for gzip's magic (a pipe's are read and put back).
    private static Stream Inflated(Stream raw)
    {
        var magic = new byte[2];
        var read = raw.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        Stream content;
        if (raw.CanSeek)
        {
            raw.Position = 0;
            content = raw;
        }
        else
        {
            content = new PeekedStream(magic[..read], raw);
        }

        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(content, CompressionMode.Decompress, leaveOpen: true) : content;
    }
}
