using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>Oracle's catalog, for exports and completion: the ALL_* views, in the session's current schema.</summary>
internal sealed class OracleCatalogReader(SqlDialect dialect) : CatalogReader(dialect)
{
    protected override string CurrentSchemaSql => "SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') FROM DUAL";

    protected override string TablesSql => """
        SELECT OWNER, TABLE_NAME FROM ALL_TABLES WHERE OWNER = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')
        UNION ALL SELECT OWNER, VIEW_NAME FROM ALL_VIEWS WHERE OWNER = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')
        ORDER BY 1, 2
        """;

    protected override string ColumnsSql => """
        SELECT c.COLUMN_NAME, c.DATA_TYPE, CASE c.NULLABLE WHEN 'Y' THEN 1 ELSE 0 END, COALESCE(pk.POSITION, 0), c.OWNER, c.TABLE_NAME
        FROM ALL_TAB_COLUMNS c
        LEFT JOIN (SELECT cc.OWNER, cc.TABLE_NAME, cc.COLUMN_NAME, cc.POSITION
                   FROM ALL_CONSTRAINTS k JOIN ALL_CONS_COLUMNS cc
                     ON cc.OWNER = k.OWNER AND cc.CONSTRAINT_NAME = k.CONSTRAINT_NAME
                   WHERE k.CONSTRAINT_TYPE = 'P') pk
          ON pk.OWNER = c.OWNER AND pk.TABLE_NAME = c.TABLE_NAME AND pk.COLUMN_NAME = c.COLUMN_NAME
        WHERE c.OWNER = :p0 AND c.TABLE_NAME = :p1
        ORDER BY c.COLUMN_ID
        """;
}
