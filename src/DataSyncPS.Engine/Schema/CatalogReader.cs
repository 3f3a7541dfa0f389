using System.Data.Common;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>
/// One engine's catalog, the only place that reads it. Two depths: the narrow reads an export and tab
/// completion need at start-up (the tables; one table's columns and key: a query each, never the whole
/// catalog), and the whole catalog that Compare-DbSchema and Copy-DbStructure compare
/// (<see cref="ReadCatalogAsync"/>, on the engines that have a scripter).
/// </summary>
public abstract class CatalogReader
{
    protected CatalogReader(SqlDialect dialect) => Dialect = dialect;

    public SqlDialect Dialect { get; }

    public static CatalogReader For(SqlDialect dialect) => dialect.Kind switch
    {
        ProviderKind.MySql or ProviderKind.MariaDb => new MySqlCatalogReader(dialect),
        ProviderKind.PostgreSql => new PostgreSqlCatalogReader(dialect),
        ProviderKind.SqlServer => new SqlServerCatalogReader(dialect),
        ProviderKind.Sqlite => new SqliteCatalogReader(dialect),
        ProviderKind.Oracle => new OracleCatalogReader(dialect),
        _ => throw new SyncException(SyncErrorKind.InvalidArgument, $"{dialect.Kind} has no catalog."),
    };

    /// <summary>SQL whose single row and column is the schema a bare table name resolves to.</summary>
    protected abstract string CurrentSchemaSql { get; }

    /// <summary>Tables and views: schema, name. No parameters.</summary>
    protected abstract string TablesSql { get; }

    /// <summary>One table's (or view's) columns in ordinal order: name, data type, nullable ("YES"/"NO"
    /// or 1/0), primary key ordinal (0 when not in the key), then the schema and table as the catalog
    /// spells them (a stream's identity must not depend on the admin's spelling). Parameters: schema, table.</summary>
    protected abstract string ColumnsSql { get; }

    /// <summary>The whole catalog, normalised so that two databases of the engine compare by meaning.</summary>
    /// <param name="schemas">Schemas to read; null for every schema that is not the system's (ignored where
    /// a connection reaches one database with no schemas, as on MySQL/MariaDB).</param>
    public virtual Task<DbCatalog> ReadCatalogAsync(DbConnection connection, IReadOnlyList<string>? schemas, CancellationToken ct) =>
        throw new SyncException(SyncErrorKind.InvalidArgument,
            $"Comparing and copying structure works with PostgreSQL, MySQL, MariaDB and SQL Server sources; {Dialect.Kind} is not supported.");

    public async Task<string?> CurrentSchemaAsync(DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = CurrentSchemaSql;
        return Convert.ToString(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<TableName>> ListTablesAsync(DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = TablesSql;
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<TableName>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new TableName(r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1)));
        return list;
    }

    /// <summary>The tables and views of a source, for tab completion and discovery.</summary>
    public static async Task<IReadOnlyList<TableName>> ListTablesAsync(SyncSource source, CancellationToken ct)
    {
        var dialect = source.Dialect ?? throw new SyncException(SyncErrorKind.InvalidArgument, $"Source '{source.Name}' is not a database.");
        await using var connection = await SourceConnector.OpenAsync(source, ct).ConfigureAwait(false);
        return await For(dialect).ListTablesAsync(connection, ct).ConfigureAwait(false);
    }

    /// <summary>One table's columns and primary key; empty when there is no such table or view.</summary>
    public async Task<IReadOnlyList<ColumnInfo>> ReadColumnsAsync(DbConnection connection, string schema, string table, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = ColumnsSql;
        Dialect.AddParameter(cmd, 0, schema);
        Dialect.AddParameter(cmd, 1, table);
        var list = new List<ColumnInfo>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var nullable = r.GetValue(2) switch
            {
                string s => s.Equals("YES", StringComparison.OrdinalIgnoreCase) || s == "1",
                bool b => b,
                var v => Convert.ToInt64(v) != 0,
            };
            list.Add(new ColumnInfo(r.GetString(0), r.GetString(1), nullable, Convert.ToInt32(r.GetValue(3)))
            {
                CatalogTable = r.FieldCount >= 6 ? (Text(r, 4), Text(r, 5)) : (null, null),
            });
        }
        return list;
    }

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Convert.ToString(r.GetValue(ordinal));
}
