namespace DataSyncPS.Engine.Storage;

/// <summary>The store for a destination.</summary>
public static class BackupStorage
{
    public static IBackupStorage Open(BackupDestination destination, StorageOptions options) =>
        destination.IsObjectStore ? new S3Storage(destination, options) : new FolderStorage(destination);
}
