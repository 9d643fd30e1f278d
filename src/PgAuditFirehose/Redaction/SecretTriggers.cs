using System.Buffers;
using System.Text;

namespace PgAuditFirehose.Redaction;

/// <summary>
/// The cheap look that decides whether a text needs the lexer at all: one vectorized search for the
/// words every redaction rule needs (a secret-like name, a pgcrypto function, a connection string or
/// URI, a U&amp; form that could spell any of them). Text without them is left as it is, byte for byte.
/// </summary>
internal static class SecretTriggers
{
    /// <summary>The words, ASCII case ignored.</summary>
    public static readonly string[] Words =
    [
        "passw", "passphrase", "secret", "token", "credential", "pwd", "psw", "key",
        "crypt", "hmac", "connection", "dblink", "://", "u&",
    ];

    private static readonly SearchValues<string> Search = SearchValues.Create(Words, StringComparison.OrdinalIgnoreCase);

    // The widened text goes through in chunks this long, each overlapping the last by a word's length.
    private const int Chunk = 512;
    private const int Overlap = 9;

    /// <summary>True when <paramref name="text"/> (UTF-8, or JSON-escaped UTF-8: escapes never touch letters) holds a trigger word.</summary>
    public static bool Hit(ReadOnlySpan<byte> text)
    {
        if (text.Length < 2) return false;
        Span<char> chars = stackalloc char[Chunk];
        var from = 0;
        while (true)
        {
            var length = Math.Min(Chunk, text.Length - from);
            // Latin-1 widening maps each byte to one char: ASCII stays ASCII, and no UTF-8 byte of a
            // multi-byte character is an ASCII letter, so the words are found exactly where they are.
            var widened = Encoding.Latin1.GetChars(text.Slice(from, length), chars);
            if (chars[..widened].IndexOfAny(Search) >= 0) return true;
            if (from + length >= text.Length) return false;
            from += length - Overlap;
        }
    }
}
