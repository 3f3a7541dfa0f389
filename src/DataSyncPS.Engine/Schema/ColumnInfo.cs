namespace DataSyncPS.Engine.Schema;

/// <summary>A column as an export needs it (the narrow read of one table, <see cref="CatalogReader.ReadColumnsAsync"/>):
/// its data type as the value writer maps it, and its place in the primary key.</summary>
public sealed record ColumnInfo(string Name, string DataType, bool IsNullable, int PrimaryKeyOrdinal)
{
    public bool IsPrimaryKey => PrimaryKeyOrdinal > 0;

    /// <summary>The column's table as the catalog names it: schema and table.</summary>
    public (string? Schema, string? Table) CatalogTable { get; init; }
}
