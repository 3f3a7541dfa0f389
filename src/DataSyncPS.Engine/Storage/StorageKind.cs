namespace DataSyncPS;

/// <summary>Where backups go: a folder (local or UNC), AWS S3, Cloudflare R2, or another S3-compatible store.</summary>
public enum StorageKind
{
    Folder,
    S3,
    R2,
    S3Compatible,
}
