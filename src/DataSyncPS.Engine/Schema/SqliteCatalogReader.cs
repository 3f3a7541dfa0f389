using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>SQLite's catalog, for exports and completion: one schema ("main"), tables and views from
/// sqlite_schema, columns from pragma_table_info.</summary>
internal sealed class SqliteCatalogReader(SqlDialect dialect) : CatalogReader(dialect)
{
    protected override string CurrentSchemaSql => "SELECT 'main'";

    protected override string TablesSql => """
        SELECT 'main', name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name
        """;

    protected override string ColumnsSql => """
        SELECT name, type, CASE WHEN "notnull" = 0 AND pk = 0 THEN 1 ELSE 0 END, pk, @p0,
               (SELECT m.name FROM sqlite_schema m WHERE m.type IN ('table', 'view') AND m.name = @p1 COLLATE NOCASE LIMIT 1)
        FROM pragma_table_info(@p1, @p0) ORDER BY cid
        """;
}
