namespace DataSyncPS.Engine.Schema;

/// <summary>The safety backup of a copy's target, taken before its first change and restored when the copy
/// fails. Meant to be Invoke-DbBackup/Restore-DbBackup's engine (not wired yet); PostgreSQL needs none for
/// the structure and data a copy writes, which run in one transaction.</summary>
public interface ITargetSafetyNet
{
    /// <summary>Backs the target up; returns where the backup is (a path or URI) for the result and messages.</summary>
    Task<string> BackupAsync(SyncSource target, CancellationToken ct);

    Task RestoreAsync(SyncSource target, string backup, CancellationToken ct);
}
