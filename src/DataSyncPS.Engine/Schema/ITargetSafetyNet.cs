namespace DataSyncPS.Engine.Schema;

/// <summary>The safety backup of a copy's target, taken before its first change, restored when the copy
/// fails and deleted once it validates (<see cref="DumpSafetyNet"/>: Invoke-DbBackup/Restore-DbBackup's
/// engine). A PostgreSQL copy without -Parallel needs none: it runs in one transaction.</summary>
public interface ITargetSafetyNet
{
    /// <summary>Backs the target up; returns where the backup is (a path or URI) for the result and messages.</summary>
    Task<string> BackupAsync(SyncSource target, CancellationToken ct);

    /// <summary>Puts the target back as it was when <see cref="BackupAsync"/> took the backup: objects made
    /// since are gone too.</summary>
    Task RestoreAsync(SyncSource target, string backup, CancellationToken ct);

    /// <summary>Deletes a backup no longer needed.</summary>
    Task DiscardAsync(string backup, CancellationToken ct) => Task.CompletedTask;
}
