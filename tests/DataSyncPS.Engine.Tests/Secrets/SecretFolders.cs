using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Engine.Tests.Secrets;

/// <summary>A user and a machine store in a temporary folder of their own, as DATASYNCPS_HOME and
/// DATASYNCPS_MACHINE_HOME would place them.</summary>
public sealed class SecretFolders : IDisposable
{
    private readonly TempDirectory _temp = new();

    public SecretLocation User => new(SecretScope.User, _temp.Combine("user", "secrets"));

    public SecretLocation Machine => new(SecretScope.Machine, _temp.Combine("machine", "secrets"));

    public SecretLocation For(SecretScope scope) => scope == SecretScope.User ? User : Machine;

    public SecretStore Store(SecretScope scope)
    {
        // The machine folder's ACL on Windows lets only SYSTEM and elevated Administrators write.
        if (OperatingSystem.IsWindows() && scope == SecretScope.Machine
            && !new System.Security.Principal.WindowsPrincipal(System.Security.Principal.WindowsIdentity.GetCurrent()).IsInRole(System.Security.Principal.WindowsBuiltInRole.Administrator))
            Assert.Skip("Machine secrets on Windows need an elevated session.");
        return new(For(scope));
    }

    /// <summary>Every file of both stores, as bytes (store, key, lock, anything left behind).</summary>
    public IEnumerable<(string Path, byte[] Bytes)> Files() =>
        Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllBytes(f)));

    public void Dispose() => _temp.Dispose();
}
