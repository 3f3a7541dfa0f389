namespace DataSyncPS.Engine.Schema;

/// <summary>A copy worked out before anything is touched: the differences it removes and those it leaves,
/// the ordered statements and data tables, as steps an admin reads under -WhatIf.</summary>
public sealed class StructureCopyPlan
{
    public required SyncSource Source { get; init; }
    public required SyncSource Target { get; init; }
    public required DbCatalog SourceCatalog { get; init; }
    public required DbCatalog TargetCatalog { get; init; }
    public required IReadOnlyList<SchemaDifference> Applied { get; init; }
    public required IReadOnlyList<SchemaDifference> Skipped { get; init; }
    /// <summary>Data tables in foreign-key order.</summary>
    public required IReadOnlyList<DbTable> DataTables { get; init; }
    public required IReadOnlyList<(CopyPlanStep Step, DdlStatement? Statement, DbTable? Table)> Steps { get; init; }
    /// <summary>Whether source and target are databases of one server (as the servers identify themselves),
    /// which then share its CPU and disks.</summary>
    public bool SameServer { get; init; }

    public IReadOnlyList<CopyPlanStep> PlanSteps => Steps.Select(s => s.Step).ToList();

    public bool IsEmpty => Steps.Count == 0;

    public string Describe() => IsEmpty
        ? "Nothing to do: the target's structure matches."
        : string.Join("\n", Steps.Select(s => s.Step.ToString()));
}
