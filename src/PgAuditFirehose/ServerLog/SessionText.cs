using System.Buffers.Text;

namespace PgAuditFirehose.ServerLog;

/// <summary>
/// What the session entries say in their text (PostgreSQL 15-17, postinit.c and postgres.c):
/// <c>[replication ]connection authorized: user=U database=D[ application_name=A][ SSL enabled (…)][ GSS (…)]</c>
/// and <c>disconnection: session time: H:MM:SS.fff user=U database=D host=H[ port=P]</c>.
/// </summary>
internal static class SessionText
{
    public static ReadOnlySpan<byte> Authorized => "connection authorized: "u8;
    public static ReadOnlySpan<byte> ReplicationAuthorized => "replication connection authorized: "u8;
    public static ReadOnlySpan<byte> Disconnection => "disconnection: session time: "u8;

    private static ReadOnlySpan<byte> ApplicationNameKey => " application_name="u8;

    public static bool IsConnection(ReadOnlySpan<byte> message) => message.StartsWith(Authorized) || message.StartsWith(ReplicationAuthorized);

    public static bool IsDisconnection(ReadOnlySpan<byte> message) => message.StartsWith(Disconnection);

    /// <summary>
    /// The text after <c> application_name=</c> up to <c> SSL enabled (</c>, <c> GSS (</c> or the end; false
    /// without it. A name that itself holds one of those markers is cut there (the log does not quote it).
    /// </summary>
    public static bool TryApplicationName(ReadOnlySpan<byte> message, out ReadOnlySpan<byte> name)
    {
        name = default;
        var key = message.IndexOf(ApplicationNameKey);
        if (key < 0) return false;
        var rest = message[(key + ApplicationNameKey.Length)..];
        var end = rest.IndexOf(" SSL enabled ("u8);
        var gss = rest.IndexOf(" GSS ("u8);
        if (end < 0 || (gss >= 0 && gss < end)) end = gss;
        name = end < 0 ? rest : rest[..end];
        return true;
    }

    /// <summary>The session time of a disconnection entry in milliseconds; false when it does not read as H:MM:SS.fff.</summary>
    public static bool TrySessionMilliseconds(ReadOnlySpan<byte> message, out long milliseconds)
    {
        milliseconds = 0;
        if (!message.StartsWith(Disconnection)) return false;
        var text = message[Disconnection.Length..];
        if (!Utf8Parser.TryParse(text, out long hours, out var used) || hours < 0) return false;
        text = text[used..];
        if (!TwoDigits(ref text, (byte)':', out var minutes) || !TwoDigits(ref text, (byte)':', out var seconds)) return false;
        if (text.Length < 4 || text[0] != (byte)'.' || !Utf8Parser.TryParse(text.Slice(1, 3), out int fraction, out var digits) || digits != 3) return false;
        if (text.Length > 4 && text[4] != (byte)' ') return false;
        milliseconds = ((((hours * 60) + minutes) * 60) + seconds) * 1000 + fraction;
        return true;
    }

    private static bool TwoDigits(ref ReadOnlySpan<byte> text, byte separator, out int value)
    {
        value = 0;
        if (text.Length < 3 || text[0] != separator || !char.IsAsciiDigit((char)text[1]) || !char.IsAsciiDigit((char)text[2])) return false;
        value = ((text[1] - '0') * 10) + (text[2] - '0');
        text = text[3..];
        return true;
    }
}
