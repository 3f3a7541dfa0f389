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
    public bool NoBackup { get; init; }
    public bool NoRollback { get; init; }
    public ITargetSafetyNet? SafetyNet { get; init; }
    /// <summary>Tests: called after each plan step has run (to inject a failure mid-copy).</summary>
    internal Action<CopyPlanStep>? AfterStep { get; init; }
}
