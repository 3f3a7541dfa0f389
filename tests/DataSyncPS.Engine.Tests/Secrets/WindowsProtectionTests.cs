using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;
using System.Text;
using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Engine.Tests.Secrets;

/// <summary>DPAPI and the machine folder's ACL. They run on Windows only; elsewhere they are skipped,
/// and the code paths are compiled but never executed.</summary>
[SupportedOSPlatform("windows")]
public class WindowsProtectionTests
{
    public WindowsProtectionTests()
    {
        if (!OperatingSystem.IsWindows()) Assert.Skip("DPAPI and ACLs are Windows-only.");
    }

    [Theory]
    [InlineData(SecretScope.User, "dpapi-currentuser")]
    [InlineData(SecretScope.Machine, "dpapi-localmachine")]
    public void Dpapi_round_trips_and_is_bound_to_its_associated_data(SecretScope scope, string method)
    {
        var protector = new DpapiProtector(scope);
        Assert.Equal(method, protector.Method);
        var aad = Encoding.UTF8.GetBytes("ApiKey\0datasnap");
        var blob = protector.Protect(Encoding.UTF8.GetBytes("the-key"), aad);
        Assert.Equal("the-key", Encoding.UTF8.GetString(protector.Unprotect(blob, aad, "datasnap")));
        var moved = Assert.Throws<SyncException>(() => protector.Unprotect(blob, Encoding.UTF8.GetBytes("ApiKey\0other"), "other"));
        Assert.Equal(SyncErrorKind.SecretUnreadable, moved.Kind);
    }

    [Fact]
    public void A_store_on_Windows_is_protected_with_dpapi_and_has_no_key_file()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        Assert.Equal("dpapi-currentuser", store.Save(NewSecret.ApiKey("datasnap", "the-key"), false).Protection);
        using var value = store.Read("datasnap");
        Assert.Equal("the-key", value.Reveal());
        Assert.False(File.Exists(folders.User.KeyFile));
    }

    [Fact]
    public void The_machine_folder_acl_keeps_out_everyone_but_system_administrators_and_the_readers()
    {
        var reader = WindowsIdentity.GetCurrent().User!;
        var acl = WindowsFolderAcl.Build([reader]);
        Assert.True(acl.AreAccessRulesProtected);
        var rules = acl.GetAccessRules(true, true, typeof(SecurityIdentifier)).Cast<FileSystemAccessRule>().ToList();
        Assert.Equal(3, rules.Count);
        Assert.Contains(rules, r => r.IdentityReference.Equals(new SecurityIdentifier(WellKnownSidType.LocalSystemSid, null)) && r.FileSystemRights == FileSystemRights.FullControl);
        Assert.Contains(rules, r => r.IdentityReference.Equals(reader) && r.FileSystemRights == FileSystemRights.ReadAndExecute);
        Assert.DoesNotContain(rules, r => r.IdentityReference.Equals(new SecurityIdentifier(WellKnownSidType.BuiltinUsersSid, null)));
    }

    [Fact]
    public void An_unknown_reader_account_is_InvalidArgument()
    {
        Assert.Equal(SyncErrorKind.InvalidArgument, Assert.Throws<SyncException>(() => WindowsFolderAcl.Resolve([@"NO-SUCH-DOMAIN\no-such-account-datasyncps"])).Kind);
    }
}
