namespace PgAuditFirehose.PgAudit;

/// <summary>
/// Where a <c>%h</c> or <c>%r</c> value can end in a head, found once per place so that each end tried
/// is judged in constant time (checking every candidate's text again would cost its length each time).
/// </summary>
internal readonly ref struct HostReach
{
    private readonly int _lead;
    private readonly int _reach;
    private readonly int _spaces;
    private readonly int _shortest;
    private readonly bool _valid;
    private readonly ReadOnlySpan<byte> _host;
    private readonly int? _port;

    /// <param name="rest">The head from the field's place, no longer than the field's longest value.</param>
    public HostReach(PrefixSegment segment, ReadOnlySpan<byte> rest)
    {
        if (segment.Padded)
        {
            while (_lead < rest.Length && rest[_lead] == (byte)' ') _lead++;
        }

        var text = rest[_lead..];
        _reach = PrefixShapes.MaxHostLength(segment.Escape, text);
        if (segment.Padded)
        {
            while (_lead + _reach + _spaces < rest.Length && rest[_lead + _reach + _spaces] == (byte)' ') _spaces++;
        }

        var local = text.StartsWith("[local]"u8);
        if (segment.Escape == PrefixEscape.RemoteHostPort || local)
        {
            // host(port) and [local] are whole values: only their full length is one.
            _shortest = _reach;
            _valid = PrefixShapes.TrySplitHostPort(text[.._reach], out _host, out _port);
        }
        else
        {
            // Any start of a run of host characters is a host.
            _shortest = 1;
            _valid = true;
            _host = text[.._reach];
        }
    }

    /// <summary>The most bytes a value here can take, its padding included.</summary>
    public int MaxLength => _lead + _reach + _spaces;

    /// <summary>Sets the host (and port) for a value of <paramref name="length"/> bytes, or returns false: it is no host.</summary>
    public bool TryAssign(int length, ref PrefixFields fields)
    {
        if (length <= _lead)
        {
            // Nothing but padding: the empty value of a process without a client.
            fields.RemoteHost = default;
            fields.RemotePort = null;
            return true;
        }

        if (!_valid || length < _lead + _shortest || length > MaxLength) return false;
        fields.RemoteHost = _shortest == 1 ? _host[..Math.Min(length - _lead, _reach)] : _host;
        fields.RemotePort = _port;
        return true;
    }
}
