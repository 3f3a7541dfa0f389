using System.Security.Cryptography;

namespace DataSyncPS.Engine.Secrets;

/// <summary>
/// The 32-byte AES key of a store (not Windows, where DPAPI holds the keys). A user's key file is mode
/// 0600; a machine key file is 0640, its group being the accounts allowed to read machine secrets. A key
/// file that others could read or write, or that belongs to someone other than the caller or root, is
/// refused rather than used: anyone who could read it could read every secret.
/// </summary>
internal sealed class SecretKeyFile
{
    public const int KeySize = 32;

    private readonly SecretLocation _location;

    public SecretKeyFile(SecretLocation location) => _location = location;

    public string Path => _location.KeyFile;

    public string StoreFile => _location.StoreFile;

    /// <summary>The mode a new key file gets: owner read/write, plus group read for the machine store.</summary>
    public UnixFileMode CreateMode => _location.FileMode;

    /// <summary>The key; a <see cref="SyncException"/> when missing, unsafe or damaged.</summary>
    public byte[] Load()
    {
        if (!File.Exists(Path))
            throw new SyncException(SyncErrorKind.SecretUnreadable,
                $"The key file '{Path}' of the secret store '{StoreFile}' is missing, so its secrets cannot be decrypted. Restore it from a backup, or remove the store and save the secrets again.", target: Path);
        CheckSafe();
        byte[] key;
        try { key = File.ReadAllBytes(Path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SyncException(SyncErrorKind.SecretUnreadable, $"The key file '{Path}' cannot be read: {ex.Message}", ex, Path);
        }
        if (key.Length != KeySize)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new SyncException(SyncErrorKind.SecretUnreadable, $"The key file '{Path}' is damaged ({key.Length} bytes, {KeySize} expected).", target: Path);
        }
        return key;
    }

    /// <summary>The key, made first when there is none yet (and no secret that an older key encrypted).</summary>
    public byte[] LoadOrCreate()
    {
        if (File.Exists(Path)) return Load();
        var key = RandomNumberGenerator.GetBytes(KeySize);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = CreateMode;
            using (var stream = new FileStream(Path, options))
            {
                // chmod as well: the create mode is cut by the umask, and the group bit must survive it.
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, CreateMode);
                stream.Write(key);
                stream.Flush(flushToDisk: true);
            }
            return key;
        }
        catch (IOException) when (File.Exists(Path))
        {
            // Another process made it first: use theirs.
            CryptographicOperations.ZeroMemory(key);
            return Load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SyncException(SyncErrorKind.SecretStoreFailed, $"The key file '{Path}' cannot be created: {ex.Message}", ex, Path);
        }
    }

    private void CheckSafe()
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(Path);
        var forbidden = _location.Scope == SecretScope.User
            ? UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute
            : UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((mode & forbidden) != 0)
            throw new SyncException(SyncErrorKind.SecretKeyFileInsecure,
                $"The key file '{Path}' has mode {Octal(mode)}: other users could read or change it, so it is not used. " +
                $"Run: chmod {Octal(CreateMode)} '{Path}' (and save the secrets again if someone else may have read it).", target: Path);
        var owner = UnixFileOwner.Of(Path);
        if (owner is { } o && o.Uid != 0 && o.Uid != UnixFileOwner.EffectiveUserId)
            throw new SyncException(SyncErrorKind.SecretKeyFileInsecure,
                $"The key file '{Path}' belongs to user id {o.Uid}, not to you (user id {UnixFileOwner.EffectiveUserId}) or root, so it is not used: " +
                "its owner could have replaced it. Remove it (its secrets are then lost) or give it back with chown.", target: Path);
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
