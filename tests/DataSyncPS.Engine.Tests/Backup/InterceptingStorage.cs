using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>A real store with a hook on the bytes written: a test kills the dump tool, or stops the
/// run, at a known point of the upload.</summary>
public sealed class InterceptingStorage(IBackupStorage inner, long afterBytes, Action act) : IBackupStorage
{
    public BackupDestination Destination => inner.Destination;

    public async Task<ObjectUpload> OpenWriteAsync(string key, IReadOnlyDictionary<string, string> metadata, long? expectedBytes, CancellationToken cancellationToken) =>
        new Hooked(await inner.OpenWriteAsync(key, metadata, expectedBytes, cancellationToken), afterBytes, act);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);
    public Task<StoredObject?> DescribeAsync(string key, CancellationToken cancellationToken) => inner.DescribeAsync(key, cancellationToken);
    public IAsyncEnumerable<StoredObject> ListAsync(string keyPrefix, CancellationToken cancellationToken) => inner.ListAsync(keyPrefix, cancellationToken);
    public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
    public void Dispose() => inner.Dispose();

    private sealed class Hooked(ObjectUpload upload, long afterBytes, Action act) : ObjectUpload
    {
        private bool _fired;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await upload.WriteAsync(buffer, cancellationToken);
            BytesWritten += buffer.Length;
            if (!_fired && BytesWritten >= afterBytes)
            {
                _fired = true;
                act();
                await Task.Delay(200, CancellationToken.None); // let the kill land before more is read
            }
        }

        public override Task<StoredObject> CompleteAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
            upload.CompleteAsync(metadata, cancellationToken);

        public override Task AbortAsync() => upload.AbortAsync();

        public override async ValueTask DisposeAsync() => await upload.DisposeAsync();
    }
}
