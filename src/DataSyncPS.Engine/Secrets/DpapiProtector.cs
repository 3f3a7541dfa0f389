using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace DataSyncPS.Engine.Secrets;

/// <summary>Windows DPAPI: CurrentUser for the user store (only that user, on that machine, decrypts),
/// LocalMachine for the machine store (any account on the machine could decrypt: the folder's ACL is
/// what limits it). The associated data goes in as DPAPI's entropy, with the same effect as GCM's.</summary>
[SupportedOSPlatform("windows")]
internal sealed class DpapiProtector : ISecretProtector
{
    private readonly DataProtectionScope _scope;

    public DpapiProtector(SecretScope scope) =>
        _scope = scope == SecretScope.User ? DataProtectionScope.CurrentUser : DataProtectionScope.LocalMachine;

    public string Method => MethodFor(_scope);

    public static string MethodFor(DataProtectionScope scope) =>
        scope == DataProtectionScope.CurrentUser ? "dpapi-currentuser" : "dpapi-localmachine";

    public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var copy = plaintext.ToArray();
        try { return ProtectedData.Protect(copy, associatedData.ToArray(), _scope); }
        finally { CryptographicOperations.ZeroMemory(copy); }
    }

    public byte[] Unprotect(ReadOnlySpan<byte> protectedValue, ReadOnlySpan<byte> associatedData, string name)
    {
        try { return ProtectedData.Unprotect(protectedValue.ToArray(), associatedData.ToArray(), _scope); }
        catch (CryptographicException ex)
        {
            throw new SyncException(SyncErrorKind.SecretUnreadable,
                $"The saved secret '{name}' cannot be decrypted by DPAPI ({Method}): it was saved by another user or on another machine, " +
                "or the store file was changed. Save it again as the account that uses it.", ex, name);
        }
    }
}
