using DataSyncPS.Engine.Backup;
using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Schema;

/// <summary>Copy-DbStructure's safety net through Invoke-DbBackup's and Restore-DbBackup's engine: the
/// target dumped (pg_dump -Fc, mariadb-dump/mysqldump) into a folder before the first change; on failure
/// every object of the target dropped and the dump restored into it, so it ends as it was, catalog and
/// data; once the run validates, the dump deleted.</summary>
public sealed class DumpSafetyNet(string folder, string? toolPath = null) : ITargetSafetyNet
{
    private readonly FolderStorage _storage = new(BackupDestination.Parse(folder));
    private readonly Dictionary<string, string> _keys = [];

    public async Task<string> BackupAsync(SyncSource target, CancellationToken ct)
    {
        var result = await DatabaseBackup.RunAsync(target, _storage, new BackupOptions { ToolPath = toolPath }, new BackupProgress(), ct).ConfigureAwait(false);
        _keys[result.Destination] = result.Key;
        return result.Destination;
    }

    public async Task RestoreAsync(SyncSource target, string backup, CancellationToken ct)
    {
        // The backup is of this very database: Force is what restoring over its origin asks for.
        var options = new RestoreOptions { ToolPath = toolPath, Force = true, ReplaceContents = true };
        await DatabaseRestore.RunAsync(_storage, KeyOf(backup), target, options, new BackupProgress(), ct).ConfigureAwait(false);
    }

    public Task DiscardAsync(string backup, CancellationToken ct)
    {
        File.Delete(backup);
        File.Delete(backup + ObjectMetadata.SidecarSuffix);
        // The day's folder goes with its last backup.
        var day = Path.GetDirectoryName(backup);
        if (day is not null && Directory.Exists(day) && !Directory.EnumerateFileSystemEntries(day).Any()) Directory.Delete(day);
        return Task.CompletedTask;
    }

    private string KeyOf(string backup) => _keys.TryGetValue(backup, out var key) ? key
        : throw new SyncException(SyncErrorKind.PathNotFound, $"{backup} is not a backup this safety net took.", target: backup);
}
