using DataSyncPS.Engine.Schema;
using static DataSyncPS.Engine.Schema.SqlServerCatalogReader;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>
/// A SQL Server catalog made of rows, answering <see cref="SqlServerCatalogReader"/>'s queries as the
/// server's sys views would. Each row is checked against the query it answers, as SQL Server's parser
/// reads it: its columns must be exactly the query's result columns, so the rows here and the columns
/// the reader maps cannot drift from the query (and the reader fails on a column it asks for that no
/// row has). One helper per query, with the server's defaults.
/// </summary>
internal sealed class SqlServerCatalogRows
{
    private readonly Dictionary<string, List<CatalogRow>> _rows = new();

    public SqlServerCatalogRows(string database = "prod", string collation = "Latin1_General_CI_AS") =>
        Add(DatabaseSql, ("database_name", database), ("database_collation", collation));

    public List<string> Asked { get; } = [];

    public Task<IReadOnlyList<CatalogRow>> Query(string sql, CancellationToken ct)
    {
        Asked.Add(sql);
        return Task.FromResult<IReadOnlyList<CatalogRow>>(_rows.TryGetValue(sql, out var rows) ? rows : []);
    }

    public Task<DbCatalog> ReadAsync(IReadOnlyList<string>? schemas = null) => SqlServerCatalogReader.ReadAsync(Query, schemas, default);

    public SqlServerCatalogRows Add(string sql, params (string Column, object? Value)[] values)
    {
        Assert.Equal(TSql.ResultColumns(sql).Order(StringComparer.Ordinal), values.Select(v => v.Column).Order(StringComparer.Ordinal));
        if (!_rows.TryGetValue(sql, out var list)) _rows[sql] = list = [];
        list.Add(CatalogRow.Of(values));
        return this;
    }

    public SqlServerCatalogRows Table(int id, string schema, string name, string? comment = null) =>
        Add(TablesCatalogSql, ("object_id", id), ("schema_name", schema), ("table_name", name), ("comment", comment));

    public SqlServerCatalogRows Column(int table, string name, string type, short maxLength = 4, byte precision = 10, byte scale = 0,
        bool nullable = false, string? collation = null, string? seed = null, string? increment = null, string? computed = null,
        bool persisted = false, string? defaultName = null, string? defaultDefinition = null, bool defaultSystemNamed = false,
        string? comment = null, bool userDefined = false, string typeSchema = "sys") =>
        Add(ColumnsCatalogSql, ("object_id", table), ("column_name", name), ("type_name", type), ("type_schema", typeSchema),
            ("is_user_defined", userDefined), ("max_length", maxLength), ("precision", precision), ("scale", scale), ("is_nullable", nullable),
            ("collation_name", collation), ("identity_seed", seed), ("identity_increment", increment), ("computed_definition", computed),
            ("is_persisted", computed is null ? null : persisted), ("default_name", defaultName), ("default_definition", defaultDefinition),
            ("default_system_named", defaultName is null ? null : defaultSystemNamed), ("comment", comment));

    /// <summary>One row per column of an index (key columns with their key ordinal, INCLUDE columns with 0).</summary>
    public SqlServerCatalogRows Index(int table, int index, string name, string type, string column, byte keyOrdinal, bool unique = false,
        bool primaryKey = false, bool uniqueConstraint = false, bool systemNamed = false, string? filter = null, bool descending = false,
        bool included = false) =>
        Add(IndexesCatalogSql, ("object_id", table), ("index_id", index), ("index_name", name), ("type_desc", type), ("is_unique", unique || primaryKey || uniqueConstraint),
            ("is_primary_key", primaryKey), ("is_unique_constraint", uniqueConstraint), ("filter_definition", filter),
            ("is_system_named", primaryKey || uniqueConstraint ? systemNamed : null), ("key_ordinal", keyOrdinal),
            ("is_descending_key", descending), ("is_included_column", included), ("column_name", column));

    public SqlServerCatalogRows ForeignKey(int table, string name, string column, string referencedSchema, string referencedTable,
        string referencedColumn, string onDelete = "NO_ACTION", string onUpdate = "NO_ACTION", bool systemNamed = false) =>
        Add(ForeignKeysCatalogSql, ("object_id", table), ("constraint_name", name), ("is_system_named", systemNamed),
            ("referenced_schema", referencedSchema), ("referenced_table", referencedTable), ("on_delete", onDelete), ("on_update", onUpdate),
            ("column_name", column), ("referenced_column", referencedColumn));

    public SqlServerCatalogRows Check(int table, string name, string definition, bool systemNamed = false) =>
        Add(ChecksCatalogSql, ("object_id", table), ("constraint_name", name), ("definition", definition), ("is_system_named", systemNamed));

    /// <summary>A view, trigger, procedure or function; <paramref name="type"/> as sys.objects pads it ("V ", "TR", "P ", "FN").</summary>
    public SqlServerCatalogRows Module(int id, string schema, string name, string type, string definition, string? parent = null, bool insteadOf = false) =>
        Add(ModulesCatalogSql, ("object_id", id), ("schema_name", schema), ("object_name", name), ("object_type", type),
            ("parent_name", parent), ("is_instead_of_trigger", type == "TR" ? insteadOf : null), ("definition", definition));

    public SqlServerCatalogRows ViewReads(int view, string schema, string name) =>
        Add(ViewReadsCatalogSql, ("object_id", view), ("referenced_schema", schema), ("referenced_name", name));

    public SqlServerCatalogRows Sequence(string schema, string name, string type, string start, string increment, string min, string max,
        bool cycling = false, byte precision = 19, byte scale = 0) =>
        Add(SequencesCatalogSql, ("schema_name", schema), ("sequence_name", name), ("type_name", type), ("precision", precision), ("scale", scale),
            ("start_value", start), ("increment", increment), ("minimum_value", min), ("maximum_value", max), ("is_cycling", cycling));
}
