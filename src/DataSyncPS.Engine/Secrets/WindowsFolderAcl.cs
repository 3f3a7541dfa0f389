using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace DataSyncPS.Engine.Secrets;

/// <summary>
/// The machine store's folder on Windows: DPAPI LocalMachine lets any process on the machine decrypt, so
/// the folder's ACL is what keeps the secrets to SYSTEM, the Administrators and the named readers.
/// Inheritance from ProgramData (which lets Users read) is cut; files in the folder inherit this ACL.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class WindowsFolderAcl
{
    public static void Apply(string folder, IReadOnlyList<string> readers) =>
        new DirectoryInfo(folder).SetAccessControl(Build(Resolve(readers)));

    public static DirectorySecurity Build(IEnumerable<SecurityIdentifier> readers)
    {
        var security = new DirectorySecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        const InheritanceFlags inherit = InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit;
        foreach (var admin in new[] { WellKnownSidType.LocalSystemSid, WellKnownSidType.BuiltinAdministratorsSid })
            security.AddAccessRule(new FileSystemAccessRule(new SecurityIdentifier(admin, null), FileSystemRights.FullControl, inherit, PropagationFlags.None, AccessControlType.Allow));
        foreach (var reader in readers)
            security.AddAccessRule(new FileSystemAccessRule(reader, FileSystemRights.ReadAndExecute, inherit, PropagationFlags.None, AccessControlType.Allow));
        return security;
    }

    /// <summary>Accounts as typed (DOMAIN\svc-etl, NT SERVICE\MyJob, gMSA names with $) to SIDs.</summary>
    public static IReadOnlyList<SecurityIdentifier> Resolve(IEnumerable<string> accounts) =>
        accounts.Select(account =>
        {
            try { return (SecurityIdentifier)new NTAccount(account).Translate(typeof(SecurityIdentifier)); }
            catch (IdentityNotMappedException ex)
            {
                throw new SyncException(SyncErrorKind.InvalidArgument, $"There is no account named '{account}' on this machine or its domain.", ex, account);
            }
        }).ToList();
}
