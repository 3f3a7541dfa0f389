namespace DataSyncPS.Engine.Sources;

/// <summary>A column as the catalog describes it.</summary>
public sealed record ColumnInfo(string Name, string DataType, bool IsNullable, int PrimaryKeyOrdinal)
{
    public bool IsPrimaryKey => PrimaryKeyOrdinal > 0;

    /// <summary>The column's table as the catalog names it: schema and table.</summary>
    public (string? Schema, string? Table) CatalogTable { get; init; }
}
