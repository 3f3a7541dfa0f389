namespace DataSyncPS;

/// <summary>What Copy-DbStructure did: its plan, counts, the data tables' validation and the time it took.</summary>
public sealed class StructureCopyResult
{
    public required string Source { get; init; }
    public required string Target { get; init; }
    public required IReadOnlyList<CopyPlanStep> Plan { get; init; }
    public int TablesCreated { get; init; }
    public int TablesAltered { get; init; }
    public int TablesDropped { get; init; }
    public long RowsCopied { get; init; }
    public required IReadOnlyList<TableCopyResult> Tables { get; init; }
    /// <summary>True when the re-compare found no difference the plan meant to remove, and every data table's
    /// row count and checksum match.</summary>
    public bool Validated { get; init; }
    /// <summary>Differences still there after the run: the skipped ones.</summary>
    public required IReadOnlyList<SchemaDifference> RemainingDifferences { get; init; }
    /// <summary>The safety backup taken before the first change, or null when none was.</summary>
    public string? BackupUsed { get; init; }
    public TimeSpan Duration { get; init; }
}

/// <summary>One data table of a copy, validated by row count and a checksum computed by each server.</summary>
public sealed class TableCopyResult
{
    public required string Table { get; init; }
    public long RowsCopied { get; init; }
    public long SourceRows { get; init; }
    public long TargetRows { get; init; }
    public string? SourceChecksum { get; init; }
    public string? TargetChecksum { get; init; }
    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;
    public TimeSpan Duration { get; init; }
    /// <summary>Key ranges the table was copied in (-Parallel); 1 without.</summary>
    public int Ranges { get; init; } = 1;
    /// <summary>Ranges an earlier, killed run had copied, skipped by this one.</summary>
    public int RangesResumed { get; init; }
    public double RowsPerSecond => Duration.TotalSeconds > 0 ? RowsCopied / Duration.TotalSeconds : 0;
}
