namespace PgAuditFirehose.Redaction;

/// <summary>
/// Functions whose arguments carry secrets, by (lower-case) name: a bit per secret argument
/// (bit 0 the first). pgcrypto's keys and passwords; the clear password crypt() hashes; hmac's key.
/// pgp_pub_encrypt takes a public key (not a secret); set_config is a rule of its own.
/// </summary>
internal static class SecretFunctions
{
    public static int SecretArguments(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("crypt"u8) => 0b1,
        _ when name.SequenceEqual("encrypt"u8) || name.SequenceEqual("decrypt"u8)
            || name.SequenceEqual("encrypt_iv"u8) || name.SequenceEqual("decrypt_iv"u8) => 0b10,
        _ when name.SequenceEqual("hmac"u8) => 0b10,
        _ when name.SequenceEqual("pgp_sym_encrypt"u8) || name.SequenceEqual("pgp_sym_decrypt"u8)
            || name.SequenceEqual("pgp_sym_encrypt_bytea"u8) || name.SequenceEqual("pgp_sym_decrypt_bytea"u8) => 0b10,
        _ when name.SequenceEqual("pgp_pub_decrypt"u8) || name.SequenceEqual("pgp_pub_decrypt_bytea"u8) => 0b110,
        _ => 0,
    };

    /// <summary>set_config(name, value, is_local): the value is secret when the setting's name is.</summary>
    public static bool IsSetConfig(ReadOnlySpan<byte> name) => name.SequenceEqual("set_config"u8);
}
