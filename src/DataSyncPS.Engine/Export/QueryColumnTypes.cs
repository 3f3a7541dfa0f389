using System.Data.Common;
using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Export;

/// <summary>
/// The catalog types of a query's result columns, so that <c>-Query 'SELECT * FROM t'</c> writes what
/// <c>-Table t</c> writes: the driver's column schema names the table column each result column comes
/// from (an expression names none and keeps the driver's type), and the catalog gives its type.
/// </summary>
public static class QueryColumnTypes
{
    public static async Task<IReadOnlyDictionary<string, string>?> ReadAsync(DbConnection connection, SqlDialect dialect, string query, CancellationToken ct)
    {
        if (dialect.QueryColumnsProbeSql(query) is not { } probe) return null;
        List<(string Name, string Schema, string Table, string Column)> origins;
        try
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = probe;
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            origins = reader.GetColumnSchema()
                .Where(c => !string.IsNullOrEmpty(c.BaseTableName) && !string.IsNullOrEmpty(c.BaseColumnName))
                .Select(c => (c.ColumnName, c.BaseSchemaName ?? c.BaseCatalogName ?? "", c.BaseTableName!, c.BaseColumnName!))
                .ToList();
        }
        catch (Exception ex) when (ex is DbException or NotSupportedException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            // A query this cannot probe keeps the driver's types; the export's own run reports what is wrong with it.
            return null;
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var catalog = CatalogReader.For(dialect);
        var catalogs = new Dictionary<(string, string), IReadOnlyList<ColumnInfo>>();
        foreach (var (name, schema, table, column) in origins)
        {
            if (types.ContainsKey(name)) continue;
            if (!catalogs.TryGetValue((schema, table), out var columns))
                catalogs[(schema, table)] = columns = await catalog.ReadColumnsAsync(connection, schema, table, ct).ConfigureAwait(false);
            if (columns.FirstOrDefault(c => c.Name == column) is { } found) types[name] = found.DataType;
        }
        return types.Count == 0 ? null : types;
    }
}
