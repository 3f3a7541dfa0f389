using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>SQL Server's catalog, for exports and completion.</summary>
internal sealed class SqlServerCatalogReader(SqlDialect dialect) : CatalogReader(dialect)
{
    protected override string CurrentSchemaSql => "SELECT SCHEMA_NAME()";

    protected override string TablesSql => """
        SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES ORDER BY TABLE_SCHEMA, TABLE_NAME
        """;

    protected override string ColumnsSql => """
        SELECT c.name, t.name, c.is_nullable, COALESCE(ic.key_ordinal, 0), s.name, o.name
        FROM sys.columns c
        JOIN sys.objects o ON o.object_id = c.object_id
        JOIN sys.schemas s ON s.schema_id = o.schema_id
        JOIN sys.types t ON t.user_type_id = c.user_type_id
        LEFT JOIN sys.indexes i ON i.object_id = o.object_id AND i.is_primary_key = 1
        LEFT JOIN sys.index_columns ic ON ic.object_id = o.object_id AND ic.index_id = i.index_id AND ic.column_id = c.column_id
        WHERE s.name = @p0 AND o.name = @p1 AND o.type IN ('U', 'V')
        ORDER BY c.column_id
        """;
}
