using System.Data.Common;
using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Export;

/// <summary>
/// The SQL of an export, worked out from the catalog before anything is written: which relation,
/// which columns, which keyset. Unknown tables and columns fail here, with nothing touched.
/// </summary>
public sealed class SqlExportPlan
{
    // internal, not private: the dialect tests build plans to check the SQL they generate.
    internal SqlExportPlan() { }

    public required SqlDialect Dialect { get; init; }
    /// <summary>The stream's name for files and output: -Stream, or the table as the catalog names it
    /// (schema-qualified only outside the connection's default schema).</summary>
    public required string Stream { get; init; }
    /// <summary>The stream's canonical name in its key: -Stream, or schema.table as the catalog names it,
    /// so <c>t</c>, <c>public.t</c> and <c>T</c> (where the engine ignores case) are one stream.</summary>
    public string? KeyName { get; init; }
    /// <summary>The name versions before 0.2 keyed the stream by (the table as typed).</summary>
    public string? EarlierName { get; init; }
    /// <summary>Quoted table, or the admin's query as a derived table.</summary>
    public required string Relation { get; init; }
    /// <summary>Quoted select list ("*" for a query).</summary>
    public required string SelectList { get; init; }
    /// <summary>Keyset column names (cursor first, then key columns); empty for a full export.</summary>
    public required IReadOnlyList<string> KeysetColumns { get; init; }
    /// <summary>Catalog type names by column, where the catalog knows better than the driver (MariaDB JSON);
    /// for a query, those of the result columns that come straight from a table column.</summary>
    public IReadOnlyDictionary<string, string>? CatalogTypes { get; init; }

    public bool IsIncremental => KeysetColumns.Count > 0;

    public string FullSelect => $"SELECT {SelectList} FROM {Relation}";

    /// <summary>One keyset page: rows after the watermark (or all, on a first run), in keyset order. Value
    /// i is written as <paramref name="placeholder"/>(i), by default the bound parameter's name.</summary>
    public string PageSelect(bool afterWatermark, bool lookbackStart, int pageSize, Func<int, string>? placeholder = null)
    {
        placeholder ??= Dialect.ParameterName;
        var quoted = KeysetColumns.Select(Dialect.QuoteIdentifier).ToList();
        var where = lookbackStart
            ? $" WHERE {quoted[0]} >= {placeholder(0)}"
            : afterWatermark ? " WHERE " + Dialect.KeysetPredicate(quoted, 0, placeholder) : "";
        return Dialect.Limit($"SELECT {SelectList} FROM {Relation}{where} ORDER BY {string.Join(", ", quoted)}", pageSize);
    }

    /// <summary>The rows from one key to another, both included, in keyset order: values 0..n-1 are the
    /// first key, n..2n-1 the last (a batch's rows read again).</summary>
    public string RangeSelect(Func<int, string>? placeholder = null)
    {
        placeholder ??= Dialect.ParameterName;
        var quoted = KeysetColumns.Select(Dialect.QuoteIdentifier).ToList();
        return $"SELECT {SelectList} FROM {Relation} WHERE {Dialect.KeysetComparison(quoted, ">=", 0, placeholder)}" +
               $" AND {Dialect.KeysetComparison(quoted, "<=", quoted.Count, placeholder)} ORDER BY {string.Join(", ", quoted)}";
    }

    public static async Task<SqlExportPlan> CreateAsync(ExportRequest request, DbConnection connection, CancellationToken ct)
    {
        var source = request.Source;
        var dialect = source.Dialect!;
        if (request.Table is null == request.Query is null)
            throw new SyncException(SyncErrorKind.InvalidArgument, "Give either -Table or -Query.");
        if (!request.Incremental && (request.CursorColumn is not null || request.KeyColumns is { Count: > 0 } || request.LookbackSeconds > 0))
            throw new SyncException(SyncErrorKind.InvalidArgument,
                "-CursorColumn, -KeyColumn and -LookbackSeconds apply to incremental exports; add -Incremental (or drop them for a full export).");

        if (request.Query is not null)
        {
            if (string.IsNullOrWhiteSpace(request.Stream))
                throw new SyncException(SyncErrorKind.InvalidArgument, "An export of -Query needs -Stream to name its batches.");
            var keyset = request.Incremental ? QueryKeyset(request) : [];
            var query = request.Query.Trim().TrimEnd(';');
            return new SqlExportPlan
            {
                Dialect = dialect,
                Stream = request.Stream,
                KeyName = request.Stream,
                EarlierName = request.Stream,
                Relation = "(" + query + ") q",
                SelectList = "*",
                KeysetColumns = keyset,
                CatalogTypes = await QueryColumnTypes.ReadAsync(connection, dialect, query, ct).ConfigureAwait(false),
            };
        }

        // Only this table's columns and key: an export never waits for the whole catalog.
        var catalog = CatalogReader.For(dialect);
        var table = TableName.Parse(request.Table!);
        var schema = table.Schema ?? await catalog.CurrentSchemaAsync(connection, ct).ConfigureAwait(false);
        var columns = await catalog.ReadColumnsAsync(connection, schema ?? "", table.Name, ct).ConfigureAwait(false);
        if (columns.Count == 0)
            throw new SyncException(SyncErrorKind.TableNotFound,
                $"Table '{table}' was not found in {source.Provider} {source.Location}" + (table.Schema is null ? $" (schema '{schema}')." : "."),
                target: request.Table);

        var keysetColumns = new List<string>();
        if (request.Incremental)
        {
            var keys = request.KeyColumns is { Count: > 0 }
                ? request.KeyColumns.Select(k => Resolve(columns, k, table)).ToList()
                : columns.Where(c => c.IsPrimaryKey).OrderBy(c => c.PrimaryKeyOrdinal).Select(c => c.Name).ToList();
            keysetColumns.Add(string.IsNullOrWhiteSpace(request.CursorColumn)
                ? DefaultCursor(columns, keys, table)
                : Resolve(columns, request.CursorColumn, table));
            if (keys.Count == 0)
                throw new SyncException(SyncErrorKind.InvalidArgument,
                    $"Table '{table}' has no primary key; give -KeyColumn with columns that identify a row, so rows sharing a cursor value are never lost.",
                    target: request.Table);
            foreach (var k in keys) if (!keysetColumns.Contains(k)) keysetColumns.Add(k);
        }

        var catalogSchema = columns[0].CatalogTable.Schema ?? table.Schema ?? schema ?? "";
        var catalogName = columns[0].CatalogTable.Table ?? table.Name;
        var inDefaultSchema = table.Schema is null || string.Equals(catalogSchema, schema, StringComparison.Ordinal);
        var given = string.IsNullOrWhiteSpace(request.Stream) ? null : request.Stream;
        return new SqlExportPlan
        {
            Dialect = dialect,
            Stream = given ?? (inDefaultSchema ? catalogName : $"{catalogSchema}.{catalogName}"),
            KeyName = given ?? $"{catalogSchema}.{catalogName}",
            EarlierName = given ?? table.ToString(),
            Relation = dialect.QuoteTable(new TableName(table.Schema ?? (dialect.Kind == ProviderKind.Sqlite ? null : schema), table.Name)),
            SelectList = string.Join(", ", columns.Select(c => dialect.QuoteIdentifier(c.Name))),
            KeysetColumns = keysetColumns,
            CatalogTypes = columns.ToDictionary(c => c.Name, c => c.DataType, StringComparer.Ordinal),
        };
    }

    /// <summary>Column names that usually hold "last changed" (English and Portuguese schemas).</summary>
    internal static readonly string[] ConventionalCursorColumns =
        ["updated_at", "updatedat", "modified_at", "modifiedat", "last_modified", "last_update", "changed_at",
         "data_alteracao", "dt_alteracao", "atualizado_em", "alterado_em"];

    /// <summary>Without -CursorColumn: a conventional "updated" column, else a single-column key (rows
    /// only ever appended). Anything else must be said explicitly.</summary>
    private static string DefaultCursor(IReadOnlyList<ColumnInfo> columns, IReadOnlyList<string> keys, TableName table)
    {
        foreach (var name in ConventionalCursorColumns)
        {
            var match = columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (match is not null) return match.Name;
        }
        if (keys.Count == 1) return keys[0];
        throw new SyncException(SyncErrorKind.InvalidArgument,
            $"Table '{table}' has no column such as updated_at and no single-column primary key; give -CursorColumn (the column that grows when a row changes).",
            target: table.ToString());
    }

    private static List<string> QueryKeyset(ExportRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.CursorColumn) || request.KeyColumns is not { Count: > 0 })
            throw new SyncException(SyncErrorKind.InvalidArgument, "An incremental export of -Query needs -CursorColumn and -KeyColumn.");
        var list = new List<string> { request.CursorColumn };
        foreach (var k in request.KeyColumns) if (!list.Contains(k)) list.Add(k);
        return list;
    }

    private static string Resolve(IReadOnlyList<ColumnInfo> columns, string name, TableName table)
    {
        var exact = columns.FirstOrDefault(c => c.Name == name) ?? columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        return exact?.Name ?? throw new SyncException(SyncErrorKind.ColumnNotFound,
            $"Column '{name}' was not found in table '{table}'. Its columns are: {string.Join(", ", columns.Select(c => c.Name))}.", target: name);
    }
}
