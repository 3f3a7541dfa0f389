namespace DataSyncPS.Engine.Secrets;

/// <summary>Keeps two saves (two scheduled jobs, two shells) from each losing the other's change: a
/// writer holds secrets.lock open, unshared, while it reads, changes and replaces the store. Readers do
/// not lock; the atomic rename gives them a whole file.</summary>
internal sealed class SecretStoreLock : IDisposable
{
    private readonly FileStream _stream;

    private SecretStoreLock(FileStream stream) => _stream = stream;

    public static SecretStoreLock Acquire(SecretLocation location, TimeSpan? timeout = null)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = location.FileMode;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            try { return new SecretStoreLock(new FileStream(location.LockFile, options)); }
            catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(100); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SyncException(SyncErrorKind.SecretStoreFailed,
                    $"The secret store '{location.StoreFile}' cannot be locked for writing: {ex.Message}", ex, location.StoreFile);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
