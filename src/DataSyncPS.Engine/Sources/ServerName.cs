using System.Globalization;

namespace DataSyncPS.Engine.Sources;

/// <summary>A server as typed (<c>DB01.corp.</c>, <c>127.0.0.1:5432</c>, <c>[::1]:5432</c>) reduced to
/// what identifies it, so a stream's identity never depends on how the admin spelt the server.</summary>
public static class ServerName
{
    /// <summary>Splits a port typed into the server name ("host:port", "[v6]:port"); one host only
    /// (a multi-host list stays whole).</summary>
    public static (string? Host, int? Port) Split(string? server)
    {
        if (string.IsNullOrWhiteSpace(server) || server.Contains(',')) return (server, null);
        var s = server.Trim();
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close > 0 && close + 1 < s.Length && s[close + 1] == ':' && TryPort(s[(close + 2)..], out var p6)) return (s[1..close], p6);
            return (close > 0 && close == s.Length - 1 ? s[1..close] : s, null);
        }
        var colon = s.IndexOf(':');
        if (colon > 0 && colon == s.LastIndexOf(':') && TryPort(s[(colon + 1)..], out var p)) return (s[..colon], p);
        return (s, null);
    }

    /// <summary>Host names ignore case and a trailing dot; addresses are kept as written.</summary>
    public static string Canonical(string? host) =>
        string.IsNullOrWhiteSpace(host) ? "" : host.Trim().TrimEnd('.').ToLowerInvariant();

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
}
