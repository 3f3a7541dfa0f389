namespace DataSyncPS.Engine.Secrets;

/// <summary>Creates a store's folder with its access rules, and names who may read the machine store:
/// a group on Linux and macOS, accounts on Windows.</summary>
internal static class SecretFolder
{
    public static void Ensure(SecretLocation location)
    {
        if (Directory.Exists(location.Folder)) return;
        try
        {
            // The parent as usual (service accounts must be able to pass through it), the secrets folder closed.
            Directory.CreateDirectory(Path.GetDirectoryName(location.Folder)!);
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(location.Folder);
                // ProgramData lets every user read what is below it: the machine folder stops inheriting that.
                if (location.Scope == SecretScope.Machine) WindowsFolderAcl.Apply(location.Folder, []);
                return;
            }
            Directory.CreateDirectory(location.Folder, location.FolderMode);
            // chmod as well: mkdir drops the set-group-id bit and applies the umask.
            File.SetUnixFileMode(location.Folder, location.FolderMode);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Denied(location, ex);
        }
    }

    /// <summary>Lets <paramref name="readers"/> read the machine store, and no one else but root or the
    /// Administrators and SYSTEM.</summary>
    public static void SetReaders(SecretLocation location, IReadOnlyList<string> readers)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                WindowsFolderAcl.Apply(location.Folder, readers);
                return;
            }
            if (readers.Count != 1)
                throw new SyncException(SyncErrorKind.InvalidArgument,
                    "On Linux and macOS the readers of the machine store are one group: give -Reader a single group name and add the service accounts to that group.");
            var gid = UnixFileOwner.GroupId(readers[0])
                ?? throw new SyncException(SyncErrorKind.InvalidArgument, $"There is no group named '{readers[0]}' on this machine.", target: readers[0]);
            UnixFileOwner.SetGroup(location.Folder, gid);
            File.SetUnixFileMode(location.Folder, location.FolderMode);
            foreach (var file in new[] { location.StoreFile, location.KeyFile, location.LockFile }.Where(File.Exists))
            {
                UnixFileOwner.SetGroup(file, gid);
                File.SetUnixFileMode(file, location.FileMode);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Denied(location, ex);
        }
    }

    private static SyncException Denied(SecretLocation location, Exception ex) =>
        new(SyncErrorKind.SecretStoreFailed,
            $"The {location.Scope} secret folder '{location.Folder}' cannot be set up: {ex.Message}" +
            (location.Scope == SecretScope.Machine ? " Saving machine secrets needs root (sudo) or an elevated Administrator session." : ""),
            ex, location.Folder);
}
