using System.Buffers;
using System.Text;

namespace PgAuditFirehose.Redaction;

/// <summary>
/// The cheap look that decides whether a text needs the lexer at all. Every redaction rule needs a
/// literal or a parameter, so SQL without a quote or a '$' is done with one vectorized search; the rest
/// gets a second one for the words the rules need (a secret-like name, a pgcrypto or dblink function, a
/// connection string, a URI's "://", a U&amp; form that could spell any of them). Text without them is
/// left as it is, byte for byte.
/// </summary>
internal static class SecretTriggers
{
    /// <summary>
    /// The words, ASCII case ignored: letters only, and each cut to a tail whose first three letters are
    /// rare in SQL ("ecret" for secret, "rypt" for encrypt, "nnection" for connection). The search keys on
    /// those (SearchValues' Teddy), and SELECT or CREATE would otherwise make it check candidates all the time.
    /// A URI's scheme is postgresql:// or postgres://, so "postgres" stands for it.
    /// </summary>
    public static readonly string[] Words =
    [
        "pass", "ecret", "token", "edential", "pwd", "psw", "key", "rypt", "hmac", "nnection", "dblink", "postgres",
    ];

    private static readonly SearchValues<string> Search = SearchValues.Create(Words, StringComparison.OrdinalIgnoreCase);

    /// <summary>The scratch <see cref="Hit(ReadOnlySpan{byte}, Span{char}, bool)"/> widens text into, a chunk at a time.</summary>
    public const int Chunk = 1024;

    // Consecutive chunks overlap by a word's length less one.
    private const int Overlap = 7;

    /// <summary>For tests and one-off use: <see cref="Hit(ReadOnlySpan{byte}, Span{char}, bool)"/> with a scratch of its own.</summary>
    public static bool Hit(ReadOnlySpan<byte> text, bool sql = true) => Hit(text, new char[Chunk], sql);

    /// <summary>
    /// True when <paramref name="text"/> (UTF-8, or JSON-escaped UTF-8: escapes never touch letters) holds
    /// a quote or '$' and a trigger. <paramref name="scratch"/>: at least <see cref="Chunk"/> chars.
    /// <paramref name="sql"/> false (a bound parameter's value, which is no SQL): the triggers alone.
    /// </summary>
    public static bool Hit(ReadOnlySpan<byte> text, Span<char> scratch, bool sql = true)
    {
        if (text.Length < 3 || (sql && text.IndexOfAny((byte)'\'', (byte)'$') < 0)) return false;
        for (var from = 0; ; from += Chunk - Overlap)
        {
            var length = Math.Min(Chunk, text.Length - from);
            // Latin-1 widening maps each byte to one char: ASCII stays ASCII, and no UTF-8 byte of a
            // multi-byte character is an ASCII letter, so the words are found exactly where they are.
            var widened = Encoding.Latin1.GetChars(text.Slice(from, length), scratch);
            if (scratch[..widened].IndexOfAny(Search) >= 0) return true;
            if (from + length >= text.Length) return UnicodeForm(text);
        }
    }

    // U& right before a quote ('"' may come JSON-escaped as \"): '&' is rare in SQL, so this is one search.
    private static bool UnicodeForm(ReadOnlySpan<byte> text)
    {
        for (var at = text.IndexOf((byte)'&'); at >= 0;)
        {
            if (at > 0 && (text[at - 1] | 0x20) == 'u' && at + 1 < text.Length && text[at + 1] is (byte)'\'' or (byte)'"' or (byte)'\\') return true;
            var next = text[(at + 1)..].IndexOf((byte)'&');
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }
}
