using System.Security.Cryptography;
using System.Text;

namespace DataSyncPS.Engine.State;

/// <summary>
/// One exporter per stream at a time, across processes, whatever folder each writes to: the lock lives
/// with the stream's state store (<c>state.db.locks/</c> beside it), one file per stream. The OS drops
/// the lock when the process dies, so a crash never leaves it held. Lock files are left in place:
/// deleting one on release would let a late opener lock the deleted file while a third locks a new one.
/// </summary>
public sealed class StreamLock : IDisposable
{
    private readonly FileStream _file;

    private StreamLock(FileStream file) => _file = file;

    internal static StreamLock Acquire(StateStore store, StreamKey key, string displayName)
    {
        var folder = store.Path + ".locks";
        var name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.Text)))[..32].ToLowerInvariant() + ".lock";
        var path = Path.Combine(folder, name);
        try
        {
            Directory.CreateDirectory(folder);
            return new StreamLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SyncException(SyncErrorKind.StateStoreFailed, $"The lock file '{path}' of stream '{displayName}' cannot be created: {ex.Message}", ex, path);
        }
        catch (IOException ex) when (File.Exists(path))
        {
            throw new SyncException(SyncErrorKind.StreamLocked,
                $"Stream '{displayName}' of {key.Source} is being exported by another process (state store '{store.Path}'); wait for it to finish.", ex, displayName);
        }
        catch (IOException ex)
        {
            throw new SyncException(SyncErrorKind.StateStoreFailed, $"The lock file '{path}' of stream '{displayName}' cannot be created: {ex.Message}", ex, path);
        }
    }

    public void Dispose() => _file.Dispose();
}
