namespace DataSyncPS.Engine.Backup;

/// <summary>What Invoke-DbBackup asks of one backup.</summary>
public sealed class BackupOptions
{
    public string? ToolPath { get; init; }
    /// <summary>pg_dump --no-owner.</summary>
    public bool NoOwner { get; init; }
    public BackupVerification Verify { get; init; }
    /// <summary>Folder for a copy of the stored bytes (-KeepLocalCopy).</summary>
    public string? LocalCopyFolder { get; init; }
    /// <summary>Where -Verify Restore restores to (a server; a database named after the backup is created there).</summary>
    public SyncSource? RestoreTarget { get; init; }
    /// <summary>SQL Server: a folder the server writes its .bak into and this machine reads (a share).</summary>
    public string? ServerBackupPath { get; init; }
    /// <summary>Tests: the dump tool's process id, as soon as it runs.</summary>
    internal Action<int>? ToolStarted { get; init; }
}
