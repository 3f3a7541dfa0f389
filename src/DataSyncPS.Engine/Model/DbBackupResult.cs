namespace DataSyncPS;

/// <summary>A backup taken by Invoke-DbBackup: where it is and what was proved about it. Pipes into
/// Restore-DbBackup and Send-SyncNotification.</summary>
public sealed class DbBackupResult
{
    public required string Server { get; init; }
    public int? Port { get; init; }
    public required string Database { get; init; }
    public required ProviderKind Engine { get; init; }
    /// <summary>s3://bucket/key, r2://bucket/key, or the file's path.</summary>
    public required string Destination { get; init; }
    public required StorageKind StorageKind { get; init; }
    /// <summary>The S3-compatible endpoint (R2, MinIO...), null for AWS and folders; Restore-DbBackup uses it.</summary>
    public string? Endpoint { get; init; }
    public string? Region { get; init; }
    /// <summary>The object's key (or path relative to the folder).</summary>
    public required string Key { get; init; }
    public required long Bytes { get; init; }
    /// <summary>Bytes the dump tool wrote (before compression, for mysqldump).</summary>
    public long DumpBytes { get; init; }
    public required string Sha256 { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required TimeSpan Duration { get; init; }
    public BackupVerification Verified { get; set; }
    /// <summary>The dump tool and its version, e.g. "pg_dump (PostgreSQL) 15.18".</summary>
    public string? ToolVersion { get; init; }
    public string? ServerVersion { get; init; }
    /// <summary>A copy kept on disk (-KeepLocalCopy).</summary>
    public string? LocalCopy { get; init; }
    /// <summary>Rows per table after a restore test (-Verify Restore).</summary>
    public IReadOnlyDictionary<string, long>? RestoredRowCounts { get; set; }
    /// <summary>Older backups deleted by retention.</summary>
    public IReadOnlyList<string> Removed { get; set; } = [];

    public double MegabytesPerSecond => Duration.TotalSeconds > 0 ? DumpBytes / 1048576.0 / Duration.TotalSeconds : 0;

    public override string ToString() => Destination;
}
