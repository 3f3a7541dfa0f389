using System.Net;
using System.Security;

namespace DataSyncPS.Engine.Secrets;

/// <summary>A decrypted secret, for as long as the caller needs it: the characters are wiped on Dispose.
/// Hand it on as a SecureString or NetworkCredential; only <see cref="Reveal"/> makes a plain string.</summary>
public sealed class SecretValue : IDisposable
{
    private readonly char[] _chars;

    internal SecretValue(SyncSecretInfo info, char[] chars)
    {
        Info = info;
        _chars = chars;
    }

    public SyncSecretInfo Info { get; }

    public SecureString ToSecureString()
    {
        var secure = new SecureString();
        foreach (var c in _chars) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    public NetworkCredential ToNetworkCredential() => new(Info.UserName ?? "", ToSecureString());

    /// <summary>The value as a string, which cannot be wiped: for -AsPlainText and HTTP headers only.</summary>
    public string Reveal() => new(_chars);

    public void Dispose() => Array.Clear(_chars);
}
