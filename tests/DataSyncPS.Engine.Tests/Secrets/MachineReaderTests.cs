using System.Runtime.Versioning;
using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Engine.Tests.Secrets;

/// <summary>Who may read the machine store outside Windows: one group, set on the folder (set-group-id,
/// so files written later keep it) and on the files already there.</summary>
[SupportedOSPlatform("linux")]
public class MachineReaderTests
{
    public MachineReaderTests()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("statx, which reads a file's group, is Linux's.");
    }

    [Fact]
    public void The_reader_group_is_given_the_folder_and_every_file_and_later_files_inherit_it()
    {
        if (UnixFileOwner.EffectiveUserId != 0) Assert.Skip("Giving files to a group one is not in needs root.");
        var daemon = UnixFileOwner.GroupId("daemon") ?? UnixFileOwner.GroupId("nogroup");
        if (daemon is null) Assert.Skip("No daemon or nogroup group here.");
        var group = UnixFileOwner.GroupId("daemon") is null ? "nogroup" : "daemon";
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.Machine);
        store.Save(NewSecret.ApiKey("first", "1"), false);

        store.Save(NewSecret.ApiKey("second", "2"), false, [group]);
        store.Save(NewSecret.ApiKey("third", "3"), false); // rewrites secrets.json without naming readers

        foreach (var path in new[] { folders.Machine.Folder, folders.Machine.KeyFile, folders.Machine.StoreFile })
            Assert.Equal(daemon, UnixFileOwner.Of(path)!.Value.Gid);
        using var third = store.Read("third");
        Assert.Equal("3", third.Reveal());
    }

    [Fact]
    public void An_unknown_group_or_more_than_one_is_InvalidArgument()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.Machine);
        var unknown = Assert.Throws<SyncException>(() => store.Save(NewSecret.ApiKey("a", "1"), false, ["no-such-group-datasyncps"]));
        Assert.Equal(SyncErrorKind.InvalidArgument, unknown.Kind);
        Assert.Contains("no-such-group-datasyncps", unknown.Message);
        Assert.Equal(SyncErrorKind.InvalidArgument, Assert.Throws<SyncException>(() => store.Save(NewSecret.ApiKey("a", "1"), false, ["root", "daemon"])).Kind);
    }

    [Fact]
    public void The_owner_of_a_new_file_is_the_caller()
    {
        using var folders = new SecretFolders();
        folders.Store(SecretScope.Machine).Save(NewSecret.ApiKey("a", "1"), false);
        Assert.Equal(UnixFileOwner.EffectiveUserId, UnixFileOwner.Of(folders.Machine.KeyFile)!.Value.Uid);
        Assert.Equal(0u, UnixFileOwner.GroupId("root"));
    }
}
