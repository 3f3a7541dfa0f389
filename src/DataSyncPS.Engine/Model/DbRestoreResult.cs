namespace DataSyncPS;

/// <summary>A backup restored by Restore-DbBackup (or by Invoke-DbBackup -Verify Restore).</summary>
public sealed class DbRestoreResult
{
    /// <summary>The backup: s3://bucket/key, r2://bucket/key, or a file.</summary>
    public required string Backup { get; init; }
    public required ProviderKind Engine { get; init; }
    public required string Server { get; init; }
    public int? Port { get; init; }
    public required string Database { get; init; }
    public bool Created { get; init; }
    /// <summary>Bytes read from storage.</summary>
    public required long Bytes { get; init; }
    public required TimeSpan Duration { get; init; }
    public string? ToolVersion { get; init; }
    /// <summary>Rows per table (schema.table) in the restored database.</summary>
    public required IReadOnlyDictionary<string, long> RowCounts { get; init; }

    public long Tables => RowCounts.Count;
    public long Rows => RowCounts.Values.Sum();

    public override string ToString() => $"{Backup} -> {Server}/{Database}";
}
