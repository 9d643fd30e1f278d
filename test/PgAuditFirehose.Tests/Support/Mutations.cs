namespace PgAuditFirehose.Tests.Support;

/// <summary>Randomly broken copies of a text, for tests that hold a fast reader to its reference on bad input.</summary>
internal static class Mutations
{
    /// <summary>
    /// <paramref name="original"/> with one to <paramref name="maxEdits"/> edits: a byte taken out, one of
    /// <paramref name="alphabet"/> put in or written over one, or the text cut off.
    /// </summary>
    public static byte[] Mutate(byte[] original, Random random, byte[] alphabet, int maxEdits)
    {
        var bytes = original.ToList();
        for (var edits = random.Next(1, maxEdits + 1); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes.RemoveAt(at); break;
                case 1: bytes.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                case 2: bytes[at] = alphabet[random.Next(alphabet.Length)]; break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }

        return [.. bytes];
    }
}
