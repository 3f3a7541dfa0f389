namespace DataSyncPS;

/// <summary>One batch upserted by Write-SyncTable: what it did to the table and how long it took.</summary>
public sealed class TableWriteResult
{
    public required string Source { get; init; }
    /// <summary>The table, schema-qualified as the writer addressed it.</summary>
    public required string Table { get; init; }
    public required long Batch { get; init; }
    /// <summary>Records received in the batch, rejected ones included.</summary>
    public required long Records { get; init; }
    public long Inserted { get; init; }
    public long Updated { get; init; }
    /// <summary>Records whose row was already there with the same values (nothing written).</summary>
    public long Unchanged { get; init; }
    /// <summary>Records refused (no key, a value the column cannot take); each was its own error.</summary>
    public long Rejected { get; init; }
    /// <summary>Records replaced by a later record of the same key in the same batch.</summary>
    public long Superseded { get; init; }
    /// <summary>Whether this batch created the table.</summary>
    public bool Created { get; init; }
    public IReadOnlyList<string> ColumnsAdded { get; init; } = [];
    public TimeSpan Duration { get; init; }

    public override string ToString() => $"{Table} #{Batch}";
}
