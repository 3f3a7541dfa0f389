using System.Data.Common;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>
/// SQL Server catalog from the sys views (sys.sql_modules for the text of views, triggers and routines,
/// MS_Description extended properties for comments). The server keeps defaults, checks and computed
/// columns in its own spelling, (0) as ((0)); the parentheses that only wrap the whole are taken off here,
/// and types are spelled from their lengths (nvarchar(max), decimal(10,2)), so two databases made from
/// one script compare equal. Every query is its own text and the rows are mapped by column name, so the
/// mapping is unit-tested with rows of the tests' own (SQL Server cannot run here).
/// </summary>
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

    internal const string DatabaseSql = """
        SELECT DB_NAME() AS database_name, CAST(DATABASEPROPERTYEX(DB_NAME(), 'Collation') AS nvarchar(128)) AS database_collation
        """;

    internal const string TablesCatalogSql = """
        SELECT t.object_id, SCHEMA_NAME(t.schema_id) AS schema_name, t.name AS table_name, CAST(ep.value AS nvarchar(max)) AS comment
        FROM sys.tables t
        LEFT JOIN sys.extended_properties ep ON ep.class = 1 AND ep.major_id = t.object_id AND ep.minor_id = 0 AND ep.name = N'MS_Description'
        WHERE t.is_ms_shipped = 0
        ORDER BY schema_name, t.name
        """;

    internal const string ColumnsCatalogSql = """
        SELECT c.object_id, c.name AS column_name, ty.name AS type_name, SCHEMA_NAME(ty.schema_id) AS type_schema, ty.is_user_defined,
               c.max_length, c.precision, c.scale, c.is_nullable, c.collation_name,
               CAST(ic.seed_value AS nvarchar(40)) AS identity_seed, CAST(ic.increment_value AS nvarchar(40)) AS identity_increment,
               cc.definition AS computed_definition, cc.is_persisted,
               dc.name AS default_name, dc.definition AS default_definition, dc.is_system_named AS default_system_named,
               CAST(ep.value AS nvarchar(max)) AS comment
        FROM sys.columns c
        JOIN sys.tables t ON t.object_id = c.object_id
        JOIN sys.types ty ON ty.user_type_id = c.user_type_id
        LEFT JOIN sys.identity_columns ic ON ic.object_id = c.object_id AND ic.column_id = c.column_id
        LEFT JOIN sys.computed_columns cc ON cc.object_id = c.object_id AND cc.column_id = c.column_id
        LEFT JOIN sys.default_constraints dc ON dc.parent_object_id = c.object_id AND dc.parent_column_id = c.column_id
        LEFT JOIN sys.extended_properties ep ON ep.class = 1 AND ep.major_id = c.object_id AND ep.minor_id = c.column_id AND ep.name = N'MS_Description'
        WHERE t.is_ms_shipped = 0
        ORDER BY c.object_id, c.column_id
        """;

    // Rowstore and columnstore indexes (xml, spatial and memory-optimised hash indexes are left out). A
    // primary key or unique constraint is its index; key columns come in key order, INCLUDE columns (and
    // a columnstore index's) in column order.
    internal const string IndexesCatalogSql = """
        SELECT i.object_id, i.index_id, i.name AS index_name, i.type_desc, i.is_unique, i.is_primary_key, i.is_unique_constraint,
               i.filter_definition, kc.is_system_named, ic.key_ordinal, ic.is_descending_key, ic.is_included_column, c.name AS column_name
        FROM sys.indexes i
        JOIN sys.tables t ON t.object_id = i.object_id
        LEFT JOIN sys.key_constraints kc ON kc.parent_object_id = i.object_id AND kc.unique_index_id = i.index_id
        LEFT JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
        LEFT JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
        WHERE t.is_ms_shipped = 0 AND i.type IN (1, 2, 5, 6) AND i.is_hypothetical = 0
        ORDER BY i.object_id, i.index_id, ic.key_ordinal, ic.index_column_id
        """;

    internal const string ForeignKeysCatalogSql = """
        SELECT fk.parent_object_id AS object_id, fk.name AS constraint_name, fk.is_system_named,
               SCHEMA_NAME(rt.schema_id) AS referenced_schema, rt.name AS referenced_table,
               fk.delete_referential_action_desc AS on_delete, fk.update_referential_action_desc AS on_update,
               pc.name AS column_name, rc.name AS referenced_column
        FROM sys.foreign_keys fk
        JOIN sys.tables t ON t.object_id = fk.parent_object_id
        JOIN sys.tables rt ON rt.object_id = fk.referenced_object_id
        JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id
        JOIN sys.columns pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
        JOIN sys.columns rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
        WHERE t.is_ms_shipped = 0
        ORDER BY fk.parent_object_id, fk.name, fkc.constraint_column_id
        """;

    internal const string ChecksCatalogSql = """
        SELECT ck.parent_object_id AS object_id, ck.name AS constraint_name, ck.definition, ck.is_system_named
        FROM sys.check_constraints ck
        JOIN sys.tables t ON t.object_id = ck.parent_object_id
        WHERE t.is_ms_shipped = 0
        ORDER BY ck.parent_object_id, ck.name
        """;

    // Views, DML triggers, procedures and functions: their text is what the server kept of the CREATE.
    // An encrypted module has no text and is left out.
    internal const string ModulesCatalogSql = """
        SELECT o.object_id, SCHEMA_NAME(o.schema_id) AS schema_name, o.name AS object_name, o.type AS object_type,
               OBJECT_NAME(o.parent_object_id) AS parent_name, tr.is_instead_of_trigger, m.definition
        FROM sys.objects o
        JOIN sys.sql_modules m ON m.object_id = o.object_id
        LEFT JOIN sys.triggers tr ON tr.object_id = o.object_id
        WHERE o.is_ms_shipped = 0 AND o.type IN ('V', 'TR', 'P', 'FN', 'IF', 'TF') AND m.definition IS NOT NULL
        ORDER BY o.type, schema_name, o.name
        """;

    // A view must be created after the views it reads: the server knows which those are.
    internal const string ViewReadsCatalogSql = """
        SELECT d.referencing_id AS object_id, SCHEMA_NAME(rv.schema_id) AS referenced_schema, rv.name AS referenced_name
        FROM sys.sql_expression_dependencies d
        JOIN sys.views v ON v.object_id = d.referencing_id
        JOIN sys.views rv ON rv.object_id = d.referenced_id
        ORDER BY d.referencing_id, referenced_schema, referenced_name
        """;

    internal const string SequencesCatalogSql = """
        SELECT SCHEMA_NAME(sq.schema_id) AS schema_name, sq.name AS sequence_name, TYPE_NAME(sq.user_type_id) AS type_name,
               sq.precision, sq.scale, CAST(sq.start_value AS nvarchar(40)) AS start_value, CAST(sq.increment AS nvarchar(40)) AS increment,
               CAST(sq.minimum_value AS nvarchar(40)) AS minimum_value, CAST(sq.maximum_value AS nvarchar(40)) AS maximum_value, sq.is_cycling
        FROM sys.sequences sq
        WHERE sq.is_ms_shipped = 0
        ORDER BY schema_name, sq.name
        """;

    public override Task<DbCatalog> ReadCatalogAsync(DbConnection connection, IReadOnlyList<string>? schemas, CancellationToken ct) =>
        ReadAsync((sql, token) => CatalogRow.ReadAllAsync(connection, sql, token), schemas, ct);

    /// <param name="query">Runs each catalog query: the connection's, or a test's rows.</param>
    internal static async Task<DbCatalog> ReadAsync(CatalogQuery query, IReadOnlyList<string>? schemas, CancellationToken ct)
    {
        bool Wanted(string schema) => schemas is not { Count: > 0 } || schemas.Contains(schema, StringComparer.OrdinalIgnoreCase);
        var database = (await query(DatabaseSql, ct).ConfigureAwait(false))[0];
        var databaseCollation = database.Text("database_collation");
        var catalog = new DbCatalog { Provider = ProviderKind.SqlServer, Database = database.Name("database_name") };
        var tables = new Dictionary<int, DbTable>();

        foreach (var r in await query(TablesCatalogSql, ct).ConfigureAwait(false))
        {
            if (!Wanted(r.Name("schema_name"))) continue;
            var t = new DbTable { Schema = r.Name("schema_name"), Name = r.Name("table_name"), Comment = r.Text("comment") };
            tables[r.Int("object_id")] = t;
            catalog.Tables.Add(t);
        }

        foreach (var r in await query(ColumnsCatalogSql, ct).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(r.Int("object_id"), out var t)) continue;
            var collation = r.Text("collation_name");
            var seed = r.Text("identity_seed");
            t.Columns.Add(new DbColumn
            {
                Name = r.Name("column_name"),
                Type = TypeName(r.Name("type_name"), r.Text("type_schema"), r.Flag("is_user_defined"), r.Int("max_length"), r.Int("precision"), r.Int("scale")),
                Nullable = r.Flag("is_nullable"),
                Default = Unwrap(r.Text("default_definition")),
                DefaultName = r.Text("default_name"),
                DefaultSystemNamed = r.Flag("default_system_named"),
                // Only a collation other than the database's: prod and sandbox may differ in their default.
                Collation = collation == databaseCollation ? null : collation,
                Identity = seed is null ? null : seed + "," + r.Text("identity_increment"),
                GeneratedExpression = Unwrap(r.Text("computed_definition")),
                GeneratedStored = r.Flag("is_persisted"),
                Comment = r.Text("comment"),
            });
        }

        DbIndex? index = null;
        (int Table, int Index) current = (0, -1);
        foreach (var r in await query(IndexesCatalogSql, ct).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(r.Int("object_id"), out var t)) continue;
            var column = r.Text("column_name");
            var key = r.Int("key_ordinal") > 0;
            if (r.Flag("is_primary_key") || r.Flag("is_unique_constraint"))
            {
                // One row per key column; the key grows row by row.
                var existing = r.Flag("is_primary_key") ? t.PrimaryKey : t.UniqueConstraints.LastOrDefault(u => u.Name == r.Name("index_name"));
                var columns = (existing?.Columns ?? []).Concat(key && column is not null ? [column] : []).ToList();
                var constraint = new DbKey(r.Name("index_name"), columns) { SystemNamed = r.Flag("is_system_named"), Clustered = r.Text("type_desc") == "CLUSTERED" };
                if (r.Flag("is_primary_key")) t.PrimaryKey = constraint;
                else if (existing is null) t.UniqueConstraints.Add(constraint);
                else t.UniqueConstraints[t.UniqueConstraints.IndexOf(existing)] = constraint;
                continue;
            }
            if (index is null || current != (r.Int("object_id"), r.Int("index_id")))
            {
                index = new DbIndex { Name = r.Name("index_name"), Unique = r.Flag("is_unique"), Method = r.Text("type_desc"), Filter = r.Text("filter_definition") };
                current = (r.Int("object_id"), r.Int("index_id"));
                t.Indexes.Add(index);
            }
            if (column is null) continue;
            if (key) index.Parts.Add(new DbIndexPart(column, null, r.Flag("is_descending_key"), null));
            else if (r.Flag("is_included_column")) index.Included.Add(column);
        }

        foreach (var r in await query(ForeignKeysCatalogSql, ct).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(r.Int("object_id"), out var t)) continue;
            var name = r.Name("constraint_name");
            var existing = t.ForeignKeys.FindIndex(f => f.Name == name);
            var fk = new DbForeignKey
            {
                Name = name,
                Columns = [.. existing < 0 ? [] : t.ForeignKeys[existing].Columns, r.Name("column_name")],
                ReferencedTable = new TableName(r.Name("referenced_schema"), r.Name("referenced_table")),
                ReferencedColumns = [.. existing < 0 ? [] : t.ForeignKeys[existing].ReferencedColumns, r.Name("referenced_column")],
                OnDelete = Action(r.Text("on_delete")),
                OnUpdate = Action(r.Text("on_update")),
                SystemNamed = r.Flag("is_system_named"),
            };
            if (existing < 0) t.ForeignKeys.Add(fk); else t.ForeignKeys[existing] = fk;
        }

        foreach (var r in await query(ChecksCatalogSql, ct).ConfigureAwait(false))
            if (tables.TryGetValue(r.Int("object_id"), out var t))
                t.Checks.Add(new DbCheck(r.Name("constraint_name"), Unwrap(r.Name("definition"))!) { SystemNamed = r.Flag("is_system_named") });

        var reads = (await query(ViewReadsCatalogSql, ct).ConfigureAwait(false))
            .GroupBy(r => r.Int("object_id"))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TableName>)g.Select(r => new TableName(r.Name("referenced_schema"), r.Name("referenced_name"))).ToList());
        foreach (var r in await query(ModulesCatalogSql, ct).ConfigureAwait(false))
        {
            var schema = r.Name("schema_name");
            if (!Wanted(schema)) continue;
            var name = r.Name("object_name");
            var text = Module(r.Name("definition"));
            switch (r.Name("object_type").Trim())
            {
                case "V":
                    catalog.Views.Add(new DbView(schema, name, text) { Reads = reads.GetValueOrDefault(r.Int("object_id"), []) });
                    break;
                case "TR":
                    catalog.Triggers.Add(new DbTrigger(schema, name, r.Name("parent_name"), r.Flag("is_instead_of_trigger") ? "INSTEAD OF" : "AFTER", "", text));
                    break;
                case "P":
                    catalog.Routines.Add(new DbRoutine(schema, name, "PROCEDURE", "", text));
                    break;
                default:
                    catalog.Routines.Add(new DbRoutine(schema, name, "FUNCTION", "", text));
                    break;
            }
        }

        foreach (var r in await query(SequencesCatalogSql, ct).ConfigureAwait(false))
        {
            if (!Wanted(r.Name("schema_name"))) continue;
            catalog.Sequences.Add(new DbSequence(r.Name("schema_name"), r.Name("sequence_name"),
                TypeName(r.Name("type_name"), null, false, 0, r.Int("precision"), r.Int("scale")),
                Bound(r.Name("start_value")), Bound(r.Name("increment")), Bound(r.Name("minimum_value")), Bound(r.Name("maximum_value")), r.Flag("is_cycling")));
        }
        return catalog;
    }

    /// <summary>A type as CREATE TABLE spells it, from the catalog's name and sizes: nvarchar's max_length is in
    /// bytes, -1 is (max); numeric is decimal; an alias type keeps its schema.</summary>
    internal static string TypeName(string name, string? schema, bool userDefined, int maxLength, int precision, int scale)
    {
        if (userDefined) return (schema is null ? "" : SqlServerDialect.Instance.QuoteIdentifier(schema) + ".") + SqlServerDialect.Instance.QuoteIdentifier(name);
        return name switch
        {
            "varchar" or "char" or "varbinary" or "binary" => $"{name}({(maxLength == -1 ? "max" : maxLength.ToString(System.Globalization.CultureInfo.InvariantCulture))})",
            "nvarchar" or "nchar" => $"{name}({(maxLength == -1 ? "max" : (maxLength / 2).ToString(System.Globalization.CultureInfo.InvariantCulture))})",
            "decimal" or "numeric" => $"decimal({precision},{scale})",
            "datetime2" or "datetimeoffset" or "time" => $"{name}({scale})",
            _ => name,
        };
    }

    /// <summary>Takes off the parentheses the server wraps defaults, checks and computed columns in, as often
    /// as they wrap the whole text: ((0)) and (0) are 0, ([a]&gt;(0)) is [a]&gt;(0), ((1)+(2)) is (1)+(2).
    /// Parentheses inside string literals and [names] do not count.</summary>
    internal static string? Unwrap(string? expression)
    {
        if (expression is null) return null;
        var s = expression.Trim();
        while (s.Length >= 2 && s[0] == '(' && Closing(s) == s.Length - 1) s = s[1..^1].Trim();
        return s;
    }

    private static int Closing(string s)
    {
        var depth = 0;
        for (var i = 0; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '\'': i = Skip(s, i, '\''); break;
                case '[': i = Skip(s, i, ']'); break;
                case '"': i = Skip(s, i, '"'); break;
                case '(': depth++; break;
                case ')': if (--depth == 0) return i; break;
            }
            if (i < 0) return -1;
        }
        return -1;
    }

    /// <summary>The index of the quote that closes the one at <paramref name="open"/> (a doubled quote is
    /// part of the text); -1 when none does.</summary>
    private static int Skip(string s, int open, char close)
    {
        for (var i = open + 1; i < s.Length; i++)
        {
            if (s[i] != close) continue;
            if (i + 1 < s.Length && s[i + 1] == close) { i++; continue; }
            return i;
        }
        return -1;
    }

    /// <summary>A module's text without the line-ending and outer-whitespace differences of the tool that ran it.</summary>
    internal static string Module(string definition) => definition.Replace("\r\n", "\n").Trim();

    private static string Action(string? description) => description?.Replace('_', ' ') ?? "NO ACTION";

    // A decimal sequence may go past bigint: its bound is kept as bigint's, alike on both sides.
    private static long Bound(string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
            : value.TrimStart().StartsWith('-') ? long.MinValue : long.MaxValue;
}
