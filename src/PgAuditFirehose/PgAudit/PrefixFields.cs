namespace PgAuditFirehose.PgAudit;

/// <summary>The record columns found in a log line prefix; an empty span means absent.</summary>
internal ref struct PrefixFields
{
    public ReadOnlySpan<byte> Time;
    public PrefixEscape TimeKind;
    public ReadOnlySpan<byte> RemoteHost;
    public int? RemotePort;
    public ReadOnlySpan<byte> User;
    public ReadOnlySpan<byte> Database;
    public int? ProcessId;

    /// <summary><see cref="ProcessId"/>'s digits as the text had them, when they are its shortest form (else empty).</summary>
    public ReadOnlySpan<byte> ProcessIdDigits;

    /// <summary>The general matcher's work beyond a fixed amount per segment: bytes searched for a free-text field's end, and ends tried (the tests' proof of its bound).</summary>
    public long Steps;
}
