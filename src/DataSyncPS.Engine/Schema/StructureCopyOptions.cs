namespace DataSyncPS.Engine.Schema;

/// <summary>What Copy-DbStructure was asked to do.</summary>
public sealed record StructureCopyOptions
{
    public SchemaFilter Filter { get; init; } = new();
    /// <summary>PostgreSQL schemas; null for all.</summary>
    public IReadOnlyList<string>? Schemas { get; init; }
    /// <summary>Tables (wildcards) whose rows are copied too: the seed's "maintain" tables.</summary>
    public IReadOnlyList<string> IncludeData { get; init; } = [];
    /// <summary>Allows changes that rebuild a column (its data is lost; reloaded when the table is a data table).</summary>
    public bool AllowRecreate { get; init; }
    /// <summary>Allows dropping tables, columns, views, triggers, routines and types the source does not have.</summary>
    public bool RemoveExtra { get; init; }
    public int PageSize { get; init; } = 50_000;
    /// <summary>Key ranges copied at once per table (-Parallel); 0 copies each table in one go, on
    /// PostgreSQL inside the run's one transaction. Ranges are checkpointed, so a killed copy resumes.</summary>
    public int Parallel { get; init; }
    /// <summary>The state store that keeps the ranges' checkpoints (null: the default store).</summary>
    public string? StatePath { get; init; }
    public bool NoBackup { get; init; }
    public bool NoRollback { get; init; }
    /// <summary>Keeps the safety backup after the run validated (it is deleted otherwise).</summary>
    public bool KeepBackup { get; init; }
    public ITargetSafetyNet? SafetyNet { get; init; }
    /// <summary>Rows per key range with -Parallel (null: 20 pages).</summary>
    internal long? RowsPerRange { get; init; }
    /// <summary>Tests: called after each plan step has run (to inject a failure mid-copy).</summary>
    internal Action<CopyPlanStep>? AfterStep { get; init; }
    /// <summary>Tests: reads the source's checksum during the load even when both databases are on one
    /// server (which it does only when they are not).</summary>
    internal bool ChecksumDuringLoad { get; init; }
    /// <summary>Tests: called after each key range is copied and checkpointed (table, range).</summary>
    internal Action<string, KeyRange>? AfterRange { get; init; }
}
