using System.Runtime.Versioning;
using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Engine.Tests.Secrets;

/// <summary>The AES key file outside Windows: made on first save with owner-only access (group read for
/// the machine), and refused, never used, when others could read or replace it.</summary>
[UnsupportedOSPlatform("windows")]
public class SecretKeyFileTests
{
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public SecretKeyFileTests()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Windows stores use DPAPI, not a key file.");
    }

    [Fact]
    public void The_first_save_makes_a_32_byte_key_file_0600_in_a_0700_folder()
    {
        using var folders = new SecretFolders();
        Assert.False(File.Exists(folders.User.KeyFile));
        folders.Store(SecretScope.User).Save(NewSecret.ApiKey("datasnap", "x"), false);

        Assert.Equal(32, new FileInfo(folders.User.KeyFile).Length);
        Assert.Equal(Rw, File.GetUnixFileMode(folders.User.KeyFile));
        Assert.Equal(Rw, File.GetUnixFileMode(folders.User.StoreFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folders.User.Folder));
    }

    [Fact]
    public void The_machine_key_file_is_0640_in_a_set_group_id_folder_so_its_group_can_read()
    {
        using var folders = new SecretFolders();
        folders.Store(SecretScope.Machine).Save(NewSecret.ApiKey("datasnap", "x"), false);

        Assert.Equal(Rw | UnixFileMode.GroupRead, File.GetUnixFileMode(folders.Machine.KeyFile));
        Assert.Equal(Rw | UnixFileMode.GroupRead, File.GetUnixFileMode(folders.Machine.StoreFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.SetGroup,
            File.GetUnixFileMode(folders.Machine.Folder));
    }

    [Theory]
    [InlineData(SecretScope.User, UnixFileMode.GroupRead)]
    [InlineData(SecretScope.User, UnixFileMode.OtherRead)]
    [InlineData(SecretScope.Machine, UnixFileMode.GroupWrite | UnixFileMode.GroupRead)]
    [InlineData(SecretScope.Machine, UnixFileMode.OtherRead | UnixFileMode.GroupRead)]
    public void A_key_file_others_could_read_or_change_is_refused_with_the_chmod_that_fixes_it(SecretScope scope, UnixFileMode extra)
    {
        using var folders = new SecretFolders();
        var store = folders.Store(scope);
        store.Save(NewSecret.ApiKey("datasnap", "x"), false);
        File.SetUnixFileMode(folders.For(scope).KeyFile, Rw | extra);

        var read = Assert.Throws<SyncException>(() => store.Read("datasnap"));
        Assert.Equal(SyncErrorKind.SecretKeyFileInsecure, read.Kind);
        Assert.Contains(scope == SecretScope.User ? "chmod 0600" : "chmod 0640", read.Message);
        Assert.Contains(folders.For(scope).KeyFile, read.Message);
        Assert.Equal(SyncErrorKind.SecretKeyFileInsecure, Assert.Throws<SyncException>(() => store.Save(NewSecret.ApiKey("other", "y"), false)).Kind);
    }

    [Fact]
    public void A_key_file_owned_by_another_user_is_refused()
    {
        if (!OperatingSystem.IsLinux() || UnixFileOwner.EffectiveUserId != 0) Assert.Skip("Giving a file to another user needs root on Linux.");
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        store.Save(NewSecret.ApiKey("datasnap", "x"), false);
        Chown(folders.User.KeyFile, 65534);

        var error = Assert.Throws<SyncException>(() => store.Read("datasnap"));
        Assert.Equal(SyncErrorKind.SecretKeyFileInsecure, error.Kind);
        Assert.Contains("user id 65534", error.Message);
    }

    [Fact]
    public void A_missing_key_file_is_not_replaced_while_secrets_need_it()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        store.Save(NewSecret.ApiKey("datasnap", "x"), false);
        File.Delete(folders.User.KeyFile);

        Assert.Equal(SyncErrorKind.SecretUnreadable, Assert.Throws<SyncException>(() => store.Read("datasnap")).Kind);
        var save = Assert.Throws<SyncException>(() => store.Save(NewSecret.ApiKey("another", "y"), false));
        Assert.Equal(SyncErrorKind.SecretUnreadable, save.Kind);
        Assert.Contains("missing", save.Message);
        Assert.False(File.Exists(folders.User.KeyFile));
    }

    [Fact]
    public void A_key_file_of_the_wrong_size_is_damaged()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        store.Save(NewSecret.ApiKey("datasnap", "x"), false);
        File.WriteAllBytes(folders.User.KeyFile, new byte[16]);
        var error = Assert.Throws<SyncException>(() => store.Read("datasnap"));
        Assert.Equal(SyncErrorKind.SecretUnreadable, error.Kind);
        Assert.Contains("16 bytes", error.Message);
    }

    [Fact]
    public void Another_stores_key_file_does_not_decrypt()
    {
        using var one = new SecretFolders();
        using var two = new SecretFolders();
        one.Store(SecretScope.User).Save(NewSecret.ApiKey("datasnap", "x"), false);
        two.Store(SecretScope.User).Save(NewSecret.ApiKey("datasnap", "x"), false);
        File.Copy(two.User.KeyFile, one.User.KeyFile, overwrite: true);
        Assert.Equal(SyncErrorKind.SecretUnreadable, Assert.Throws<SyncException>(() => one.Store(SecretScope.User).Read("datasnap")).Kind);
    }

    private static void Chown(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
