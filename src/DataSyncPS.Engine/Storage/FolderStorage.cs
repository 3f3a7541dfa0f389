using System.Runtime.CompilerServices;

namespace DataSyncPS.Engine.Storage;

/// <summary>
/// A local or UNC folder as a backup store: keys are relative paths, an object is written under a
/// temporary name and renamed into place only when complete (never over a file already there), and
/// its metadata sits beside it in <c>&lt;name&gt;.metadata.json</c>.
/// </summary>
public sealed class FolderStorage(BackupDestination destination) : IBackupStorage
{
    private const string MetadataSuffix = ObjectMetadata.SidecarSuffix;
    private const string PartialSuffix = ".partial";

    public BackupDestination Destination { get; } = destination;

    private string PathOf(string key) => System.IO.Path.Combine(Destination.Folder!, key.Replace('/', System.IO.Path.DirectorySeparatorChar));

    public Task<ObjectUpload> OpenWriteAsync(string key, IReadOnlyDictionary<string, string> metadata, long? expectedBytes, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var partial = path + "." + Guid.NewGuid().ToString("N")[..8] + PartialSuffix;
            var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            return Task.FromResult<ObjectUpload>(new FileUpload(this, key, path, partial, file, metadata));
        }
        catch (Exception e)
        {
            throw StorageFailure.Translate(e, Destination, $"creating {path}");
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) throw new SyncException(SyncErrorKind.PathNotFound, $"There is no backup '{path}'.", target: path);
        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
    }

    public Task<StoredObject?> DescribeAsync(string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(key));
        if (!info.Exists) return Task.FromResult<StoredObject?>(null);
        var metadata = ObjectMetadata.None;
        var sidecar = info.FullName + MetadataSuffix;
        if (File.Exists(sidecar))
            metadata = ObjectMetadata.FromJson(File.ReadAllBytes(sidecar));
        return Task.FromResult<StoredObject?>(new StoredObject(key, info.Length, info.LastWriteTimeUtc, metadata));
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var root = Destination.Folder!;
        if (!Directory.Exists(root)) yield break;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.EndsWith(MetadataSuffix, StringComparison.Ordinal) || file.EndsWith(PartialSuffix, StringComparison.Ordinal)) continue;
            var key = System.IO.Path.GetRelativePath(root, file).Replace(System.IO.Path.DirectorySeparatorChar, '/');
            if (!key.StartsWith(keyPrefix, StringComparison.Ordinal)) continue;
            var info = new FileInfo(file);
            yield return new StoredObject(key, info.Length, info.LastWriteTimeUtc, ObjectMetadata.None);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path + MetadataSuffix);
            File.Delete(path);
        }
        catch (Exception e)
        {
            throw StorageFailure.Translate(e, Destination, $"deleting {path}");
        }
        return Task.CompletedTask;
    }

    public void Dispose() { }

    private sealed class FileUpload(FolderStorage storage, string key, string path, string partial, FileStream file, IReadOnlyDictionary<string, string> metadata) : ObjectUpload
    {
        private bool _finished;
        private bool _moved;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try { await file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException) { throw StorageFailure.Translate(e, storage.Destination, $"writing {partial}"); }
            BytesWritten += buffer.Length;
        }

        public override async Task<StoredObject> CompleteAsync(IReadOnlyDictionary<string, string> final, CancellationToken cancellationToken)
        {
            var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in metadata) all[k] = v;
            foreach (var (k, v) in final) all[k] = v;
            try
            {
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                await file.DisposeAsync().ConfigureAwait(false);
                // Never replaces a backup already there; the metadata follows only once the file is in place.
                try
                {
                    File.Move(partial, path, overwrite: false);
                }
                catch (IOException e) when (File.Exists(path))
                {
                    throw new SyncException(SyncErrorKind.StorageFailed,
                        $"{path} was created by another backup while this one was written; this one is not stored (a backup is never replaced).", e, path);
                }
                _moved = true;
                await File.WriteAllBytesAsync(path + MetadataSuffix, ObjectMetadata.ToJson(all), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await AbortAsync().ConfigureAwait(false);
                if (e is OperationCanceledException) throw;
                throw StorageFailure.Translate(e, storage.Destination, $"completing {path}");
            }
            _finished = true;
            return new StoredObject(key, BytesWritten, DateTimeOffset.UtcNow, all);
        }

        public override async Task AbortAsync()
        {
            if (_finished) return;
            _finished = true;
            try { await file.DisposeAsync().ConfigureAwait(false); } catch { }
            try { File.Delete(partial); } catch { }
            if (_moved)
            {
                try { File.Delete(path); } catch { }
                try { File.Delete(path + MetadataSuffix); } catch { }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_finished) AbortAsync().GetAwaiter().GetResult();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_finished) await AbortAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
