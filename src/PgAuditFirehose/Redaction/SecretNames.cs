namespace PgAuditFirehose.Redaction;

/// <summary>
/// Whether a name (an option, a setting, a column, a role attribute) says its value is a secret:
/// it holds password, passwd, passphrase, secret, token or credential, or one of its parts
/// (split at _ - .) is key, pwd or psw or a known kind of key (apikey, privatekey, ...). ASCII case is ignored.
/// </summary>
internal static class SecretNames
{
    private static readonly byte[][] Contained =
        ["password"u8.ToArray(), "passwd"u8.ToArray(), "passphrase"u8.ToArray(), "secret"u8.ToArray(), "token"u8.ToArray(), "credential"u8.ToArray()];

    private static readonly byte[][] Parts =
        ["key"u8.ToArray(), "pwd"u8.ToArray(), "psw"u8.ToArray(), "apikey"u8.ToArray(), "accesskey"u8.ToArray(), "privatekey"u8.ToArray(),
        "masterkey"u8.ToArray(), "signingkey"u8.ToArray(), "encryptionkey"u8.ToArray()];

    public static bool IsSecret(ReadOnlySpan<byte> name)
    {
        if (name.Length < 3 || name.Length > 256) return false;
        Span<byte> lower = stackalloc byte[name.Length];
        for (var i = 0; i < name.Length; i++) lower[i] = (byte)char.ToLowerInvariant((char)name[i]);
        foreach (var word in Contained)
        {
            if (lower.IndexOf(word) >= 0) return true;
        }

        while (!lower.IsEmpty)
        {
            var cut = lower.IndexOfAny("_-."u8);
            var part = cut < 0 ? lower : lower[..cut];
            foreach (var word in Parts)
            {
                if (part.SequenceEqual(word)) return true;
            }

            lower = cut < 0 ? default : lower[(cut + 1)..];
        }

        return false;
    }
}
