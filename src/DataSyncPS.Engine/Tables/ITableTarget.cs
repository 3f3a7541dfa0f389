namespace DataSyncPS.Engine.Tables;

/// <summary>What the table writer needs of one engine: read the table's columns, the DDL for a new
/// table or column, and one bulk upsert of a batch (staging table, then one INSERT ... per batch).</summary>
internal interface ITableTarget : IAsyncDisposable
{
    /// <summary>The table's columns in order, or null when there is no such table.</summary>
    Task<IReadOnlyList<TableColumn>?> ReadColumnsAsync(CancellationToken ct);

    /// <summary>The type a new column of this kind gets (a key column may need a bounded one).</summary>
    TableColumn NewColumn(string name, ColumnKind kind, bool isKey);

    IReadOnlyList<string> CreateTableStatements(IReadOnlyList<TableColumn> columns, IReadOnlyList<string> keys);

    string AddColumnStatement(TableColumn column);

    Task ExecuteAsync(IReadOnlyList<string> statements, CancellationToken ct);

    /// <summary>An empty batch of rows for these columns, in the form this target loads.</summary>
    ITableRows NewRows(IReadOnlyList<TableColumn> columns);

    /// <summary>Upserts rows (made by <see cref="NewRows"/> for <paramref name="columns"/>, keys unique)
    /// and says how many were inserted and how many updated; the rest were there unchanged.</summary>
    Task<(long Inserted, long Updated)> UpsertAsync(IReadOnlyList<TableColumn> columns, IReadOnlyList<string> keys,
        ITableRows rows, CancellationToken ct);
}
