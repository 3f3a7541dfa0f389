namespace DataSyncPS;

/// <summary>What a backup's read-back proved, each level including the ones before it.</summary>
public enum BackupVerification
{
    /// <summary>Not read back.</summary>
    None,
    /// <summary>The stored object has the size and SHA-256 of what was sent.</summary>
    Checksum,
    /// <summary>And the dump reads whole: pg_restore --list, or gzip intact with mysqldump's completion line.</summary>
    Structure,
    /// <summary>And it was restored into a sandbox database, whose row counts were read.</summary>
    Restore,
}
