using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Backup;

/// <summary>Where one stored backup is: its destination (store) and key, from an object URI, a file path,
/// or a <see cref="DbBackupResult"/>.</summary>
public sealed record BackupLocation(BackupDestination Destination, string Key)
{
    public static BackupLocation Parse(string uriOrPath, string? endpoint = null, string? region = null, string? accountId = null)
    {
        if (uriOrPath.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || uriOrPath.StartsWith("r2://", StringComparison.OrdinalIgnoreCase))
        {
            var afterScheme = uriOrPath[5..];
            var slash = afterScheme.IndexOf('/');
            if (slash < 0 || slash == afterScheme.Length - 1)
                throw new SyncException(SyncErrorKind.InvalidArgument, $"'{uriOrPath}' names a bucket, not a backup in it.", target: uriOrPath);
            var destination = BackupDestination.Parse(uriOrPath[..(5 + slash)], endpoint, region, accountId);
            return new BackupLocation(destination, afterScheme[(slash + 1)..]);
        }
        var full = Path.GetFullPath(uriOrPath);
        return new BackupLocation(BackupDestination.Parse(Path.GetDirectoryName(full)!), Path.GetFileName(full));
    }

    public static BackupLocation From(DbBackupResult backup) => Parse(backup.Destination, backup.Endpoint, backup.Region);

    public string Uri => Destination.UriOf(Key);

    /// <summary>The engine of a backup: its metadata, else its extension.</summary>
    public static ProviderKind EngineOf(string key, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is not null && metadata.TryGetValue("engine", out var e) && Enum.TryParse<ProviderKind>(e, true, out var kind)) return kind;
        if (key.EndsWith(".dump", StringComparison.OrdinalIgnoreCase)) return ProviderKind.PostgreSql;
        if (key.EndsWith(".sql.gz", StringComparison.OrdinalIgnoreCase)) return ProviderKind.MariaDb;
        if (key.EndsWith(".bak", StringComparison.OrdinalIgnoreCase)) return ProviderKind.SqlServer;
        throw new SyncException(SyncErrorKind.InvalidArgument, $"'{key}' has no engine in its metadata and no known extension (.dump, .sql.gz, .bak).", target: key);
    }
}
