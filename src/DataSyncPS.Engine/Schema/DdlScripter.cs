using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>Writes a dialect's DDL from the catalog model: each object's canonical definition (what the
/// comparer compares) and the statements that create, drop or change it. Every identifier goes through
/// the dialect's quoting; expressions are the reference catalog's own text.</summary>
public abstract class DdlScripter
{
    protected DdlScripter(SqlDialect dialect) => Dialect = dialect;

    public SqlDialect Dialect { get; }

    public static DdlScripter For(ProviderKind provider) => provider switch
    {
        ProviderKind.MySql => new MySqlDdlScripter(MySqlDialect.MySql),
        ProviderKind.MariaDb => new MySqlDdlScripter(MySqlDialect.MariaDb),
        ProviderKind.PostgreSql => new PostgreSqlDdlScripter(),
        ProviderKind.SqlServer => new SqlServerDdlScripter(),
        _ => throw new SyncException(SyncErrorKind.InvalidArgument, $"There is no DDL scripter for {provider} yet."),
    };

    public string Q(string identifier) => Dialect.QuoteIdentifier(identifier);
    public string Q(TableName table) => Dialect.QuoteTable(table);
    protected string Q(DbTable table) => Dialect.QuoteTable(table.TableName);
    protected string Columns(IEnumerable<string> columns) => string.Join(", ", columns.Select(Q));
    protected string DropConstraint(DbTable table, string name) => $"ALTER TABLE {Q(table)} DROP CONSTRAINT {Q(name)}";

    /// <summary>A string literal: quotes doubled (and, on MySQL, backslashes escaped).</summary>
    public abstract string Literal(string value);

    /// <summary>Every comparable object of a catalog.</summary>
    public IEnumerable<SchemaItem> Items(DbCatalog catalog)
    {
        foreach (var t in catalog.Tables)
        {
            var tn = t.TableName.ToString();
            yield return new SchemaItem(SchemaObjectKind.Table, tn, tn, t, TableOptions(t), t);
            foreach (var c in t.Columns)
                yield return new SchemaItem(SchemaObjectKind.Column, tn + "." + c.Name, tn + "." + c.Name, t, ColumnDefinition(t, c), c);
            if (t.PrimaryKey is { } pk)
                yield return new SchemaItem(SchemaObjectKind.PrimaryKey, tn, tn + "." + pk.Name, t, PrimaryKeyDefinition(pk), pk);
            foreach (var u in t.UniqueConstraints)
                yield return Named(SchemaObjectKind.UniqueConstraint, t, u.Name, u.SystemNamed, UniqueDefinition(u), u);
            foreach (var i in t.Indexes)
                yield return new SchemaItem(SchemaObjectKind.Index, tn + "." + i.Name, tn + "." + i.Name, t, IndexDefinition(t, i), i);
            foreach (var f in t.ForeignKeys)
                yield return Named(SchemaObjectKind.ForeignKey, t, f.Name, f.SystemNamed, ForeignKeyDefinition(f), f);
            foreach (var k in t.Checks)
                yield return Named(SchemaObjectKind.CheckConstraint, t, k.Name, k.SystemNamed, CheckDefinition(k), k);
        }
        foreach (var v in catalog.Views)
            yield return new SchemaItem(SchemaObjectKind.View, v.TableName.ToString(), v.TableName.ToString(), null, v.Definition, v);
        foreach (var g in catalog.Triggers)
        {
            var name = (g.Schema is null ? "" : g.Schema + ".") + g.Table + "." + g.Name;
            yield return new SchemaItem(SchemaObjectKind.Trigger, name, name, catalog.FindTable(new TableName(g.Schema, g.Table)), TriggerDefinition(g), g);
        }
        foreach (var r in catalog.Routines)
        {
            var name = (r.Schema is null ? "" : r.Schema + ".") + r.Name + (r.Schema is null ? "" : "(" + r.Signature + ")");
            yield return new SchemaItem(SchemaObjectKind.Routine, r.Kind + " " + name, name, null, r.Definition, r);
        }
        foreach (var s in catalog.Sequences)
            yield return new SchemaItem(SchemaObjectKind.Sequence, s.Schema + "." + s.Name, s.Schema + "." + s.Name, null, SequenceDefinition(s), s);
        foreach (var e in catalog.EnumTypes)
            yield return new SchemaItem(SchemaObjectKind.EnumType, e.Schema + "." + e.Name, e.Schema + "." + e.Name, null,
                "ENUM (" + string.Join(", ", e.Labels.Select(Literal)) + ")", e);
    }

    /// <summary>A constraint is matched by name, unless the server made the name up: two databases made from
    /// one script then differ only in the made-up names, so such a constraint is matched by its definition.</summary>
    private static SchemaItem Named(SchemaObjectKind kind, DbTable table, string name, bool systemNamed, string definition, object payload)
    {
        var tn = table.TableName.ToString();
        return new SchemaItem(kind, tn + "." + (systemNamed ? definition : name), tn + "." + name, table, definition, payload);
    }

    public abstract string TableOptions(DbTable table);
    public abstract string ColumnDefinition(DbTable table, DbColumn column);
    public abstract string PrimaryKeyDefinition(DbKey key);
    public virtual string UniqueDefinition(DbKey key) => $"CONSTRAINT {Q(key.Name)} {key.Definition ?? "UNIQUE (" + Columns(key.Columns) + ")"}";
    public abstract string IndexDefinition(DbTable table, DbIndex index);
    public abstract string ForeignKeyDefinition(DbForeignKey fk);
    public abstract string CheckDefinition(DbCheck check);
    public abstract string TriggerDefinition(DbTrigger trigger);
    public virtual string SequenceDefinition(DbSequence s) => throw new NotSupportedException();

    /// <summary>The statements that create the object on the difference side. A table comes with its columns,
    /// keys, checks and indexes; its foreign keys are items of their own, added once every table exists.</summary>
    public abstract IReadOnlyList<DdlStatement> Create(SchemaItem item, DbCatalog reference);

    public abstract IReadOnlyList<DdlStatement> Drop(SchemaItem item);

    /// <summary>Changes the difference side's object into the reference's; by default drops and creates it.</summary>
    public virtual IReadOnlyList<DdlStatement> Alter(SchemaItem reference, SchemaItem difference, DbCatalog referenceCatalog) =>
        [.. Drop(difference), .. Create(reference, referenceCatalog)];

    /// <summary>The whole migration as a script for the engine's command-line client.</summary>
    public virtual string Script(IEnumerable<DdlStatement> statements) =>
        string.Concat(statements.Select(s => s.Sql + ";\n"));

    protected static DdlPhase DropPhase(SchemaObjectKind kind) => kind switch
    {
        SchemaObjectKind.ForeignKey => DdlPhase.DropForeignKeys,
        SchemaObjectKind.View or SchemaObjectKind.Trigger or SchemaObjectKind.Routine => DdlPhase.DropDependents,
        SchemaObjectKind.Table => DdlPhase.DropTables,
        SchemaObjectKind.Column => DdlPhase.AlterColumns,
        SchemaObjectKind.Sequence or SchemaObjectKind.EnumType => DdlPhase.DropTypes,
        _ => DdlPhase.DropConstraints,
    };

    protected static DdlPhase CreatePhase(SchemaObjectKind kind) => kind switch
    {
        SchemaObjectKind.Table => DdlPhase.CreateTables,
        SchemaObjectKind.Column => DdlPhase.AlterColumns,
        SchemaObjectKind.ForeignKey => DdlPhase.AddForeignKeys,
        SchemaObjectKind.View => DdlPhase.CreateViews,
        SchemaObjectKind.Trigger => DdlPhase.CreateTriggers,
        SchemaObjectKind.Routine => DdlPhase.CreateRoutines,
        SchemaObjectKind.Sequence or SchemaObjectKind.EnumType => DdlPhase.CreateTypes,
        _ => DdlPhase.AddConstraints,
    };
}
