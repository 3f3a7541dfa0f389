namespace DataSyncPS.Engine.Storage;

/// <summary>What backups need of a store: write an object as a stream, read it back, list, describe, delete.</summary>
public interface IBackupStorage : IDisposable
{
    BackupDestination Destination { get; }

    /// <summary>Starts an object; <paramref name="metadata"/> is what is known before the first byte, and
    /// <paramref name="expectedBytes"/> what its size may come to (null: unknown), from which a store
    /// that takes objects in parts chooses their size.</summary>
    Task<ObjectUpload> OpenWriteAsync(string key, IReadOnlyDictionary<string, string> metadata, long? expectedBytes, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>The object with its metadata, or null when there is none.</summary>
    Task<StoredObject?> DescribeAsync(string key, CancellationToken cancellationToken);

    /// <summary>Objects whose key starts with <paramref name="keyPrefix"/>, without metadata.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string keyPrefix, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
