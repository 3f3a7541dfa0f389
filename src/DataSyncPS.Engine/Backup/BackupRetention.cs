using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Backup;

/// <summary>
/// Which older backups of one server and database (same engine, under the same prefix) retention
/// removes: older than <c>-RetentionDays</c>, and/or beyond the newest <c>-Keep</c>. The newest backup
/// is never a candidate, whatever the settings. Only keys in this module's own naming count, so other
/// objects in the bucket are never touched.
/// </summary>
public static class BackupRetention
{
    public static async Task<IReadOnlyList<StoredObject>> ExpiredAsync(IBackupStorage storage, DbBackupResult latest, int? retentionDays, int? keep,
        DateTimeOffset now, CancellationToken ct)
    {
        if (retentionDays is null && keep is null) return [];
        var extension = EngineTools.ExtensionOf(latest.Engine);
        var stem = BackupObjectName.Stem(latest.Server, latest.Database, latest.Engine);
        var prefix = storage.Destination.Prefix;
        var listPrefix = prefix.Length == 0 ? "" : prefix + "/";
        var backups = new List<(StoredObject Object, DateTimeOffset TakenAt)>();
        await foreach (var o in storage.ListAsync(listPrefix, ct).ConfigureAwait(false))
            if (BackupObjectName.TakenAt(o.Key, prefix, stem, extension) is { } at) backups.Add((o, at));
        var ordered = backups.OrderByDescending(b => b.TakenAt).ThenByDescending(b => BackupObjectName.Number(b.Object.Key, extension))
            .ThenByDescending(b => b.Object.Key, StringComparer.Ordinal).ToList();
        var expired = new List<StoredObject>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var (o, at) = ordered[i];
            if (o.Key == latest.Key || i == 0) continue;
            var tooOld = retentionDays is { } days && at < now.AddDays(-days);
            var beyondKeep = keep is { } k && i >= k;
            if (tooOld || beyondKeep) expired.Add(o);
        }
        return expired;
    }
}
