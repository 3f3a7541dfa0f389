using System.Text;
using System.Text.RegularExpressions;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>SQL Server DDL: [bracketed] names, N'' literals, defaults as named constraints (a name the server
/// made up is left to the server again), ALTER COLUMN for type and nullability (the data stays), comments
/// as MS_Description extended properties. Views, triggers and routines are the server's own text of their
/// CREATE; each statement is a batch of its own (GO in a script), as CREATE VIEW and its kin require.</summary>
public sealed partial class SqlServerDdlScripter : DdlScripter
{
    public SqlServerDdlScripter() : base(SqlServerDialect.Instance) { }

    public override string Literal(string value) => "N'" + value.Replace("'", "''") + "'";

    public override string TableOptions(DbTable t) => t.Comment is null ? "" : "COMMENT " + Literal(t.Comment);

    /// <summary>The column as compared: without its default's constraint name, with its comment on a line of
    /// its own (an extended property, not part of the column).</summary>
    public override string ColumnDefinition(DbTable table, DbColumn c) =>
        ColumnClause(c, named: false) + (c.Comment is null ? "" : "\nCOMMENT " + Literal(c.Comment));

    private string ColumnClause(DbColumn c, bool named)
    {
        var sb = new StringBuilder(Q(c.Name));
        if (c.GeneratedExpression is not null)
        {
            sb.Append(" AS (").Append(c.GeneratedExpression).Append(')');
            // NOT NULL is allowed on a persisted computed column only.
            if (c.GeneratedStored) sb.Append(" PERSISTED").Append(c.Nullable ? "" : " NOT NULL");
            return sb.ToString();
        }
        sb.Append(' ').Append(c.Type);
        if (c.Collation is not null) sb.Append(" COLLATE ").Append(Collation(c.Collation));
        if (c.Identity is not null) sb.Append(" IDENTITY(").Append(c.Identity).Append(')');
        sb.Append(c.Nullable ? " NULL" : " NOT NULL");
        if (c.Default is not null) sb.Append(named ? DefaultName(c) : "").Append(" DEFAULT (").Append(c.Default).Append(')');
        return sb.ToString();
    }

    private string DefaultName(DbColumn c) => c.DefaultName is null || c.DefaultSystemNamed ? "" : " CONSTRAINT " + Q(c.DefaultName);

    /// <summary>A collation name cannot be quoted; the catalog's are words, and anything else is refused.</summary>
    private static string Collation(string name) => CollationName().IsMatch(name)
        ? name
        : throw new SyncException(SyncErrorKind.IdentifierInvalid, $"'{name}' is not a SQL Server collation name.", target: name);

    private string Named(string name, bool systemNamed) => systemNamed ? "" : "CONSTRAINT " + Q(name) + " ";

    private static string Clustering(DbKey key) => key.Clustered switch { true => "CLUSTERED ", false => "NONCLUSTERED ", null => "" };

    // Compared without its name (PK__t__3213E83F in one database is PK_t in the other); created with it.
    public override string PrimaryKeyDefinition(DbKey key) => $"PRIMARY KEY {Clustering(key)}({Columns(key.Columns)})";

    public override string UniqueDefinition(DbKey key) => $"{Named(key.Name, key.SystemNamed)}UNIQUE {Clustering(key)}({Columns(key.Columns)})";

    public override string IndexDefinition(DbTable table, DbIndex i)
    {
        var kind = i.Method ?? "NONCLUSTERED";
        var sb = new StringBuilder("CREATE ").Append(i.Unique ? "UNIQUE " : "").Append(kind).Append(" INDEX ").Append(Q(i.Name)).Append(" ON ").Append(Q(table));
        if (kind == "NONCLUSTERED COLUMNSTORE") sb.Append(" (").Append(Columns(i.Included)).Append(')');
        else if (kind != "CLUSTERED COLUMNSTORE")
        {
            sb.Append(" (").Append(string.Join(", ", i.Parts.Select(p => Q(p.Column!) + (p.Descending ? " DESC" : "")))).Append(')');
            if (i.Included.Count > 0) sb.Append(" INCLUDE (").Append(Columns(i.Included)).Append(')');
        }
        if (i.Filter is not null) sb.Append(" WHERE ").Append(i.Filter);
        return sb.ToString();
    }

    public override string ForeignKeyDefinition(DbForeignKey f) =>
        $"{Named(f.Name, f.SystemNamed)}FOREIGN KEY ({Columns(f.Columns)}) REFERENCES {Q(f.ReferencedTable)} ({Columns(f.ReferencedColumns)}) ON DELETE {f.OnDelete} ON UPDATE {f.OnUpdate}";

    public override string CheckDefinition(DbCheck k) => $"{Named(k.Name, k.SystemNamed)}CHECK ({k.Expression})";

    public override string TriggerDefinition(DbTrigger g) => g.Definition;

    public override string SequenceDefinition(DbSequence s) =>
        $"AS {s.DataType} START WITH {s.Start} {SequenceOptions(s)}";

    private static string SequenceOptions(DbSequence s) =>
        $"INCREMENT BY {s.Increment} MINVALUE {s.Min} MAXVALUE {s.Max} {(s.Cycle ? "CYCLE" : "NO CYCLE")}";

    public override IReadOnlyList<DdlStatement> Create(SchemaItem item, DbCatalog reference)
    {
        var t = item.Table;
        var tn = item.TableName;
        switch (item.Payload)
        {
            case DbTable table:
                var list = new List<DdlStatement>(EnsureSchema(table.Schema)) { new(DdlPhase.CreateTables, CreateTable(table), tn) };
                list.AddRange(table.Indexes.Select(i => new DdlStatement(DdlPhase.CreateTables, IndexDefinition(table, i), tn)));
                if (table.Comment is not null) list.Add(new(DdlPhase.CreateTables, Description("sp_addextendedproperty", table, null, table.Comment), tn));
                list.AddRange(table.Columns.Where(c => c.Comment is not null)
                    .Select(c => new DdlStatement(DdlPhase.CreateTables, Description("sp_addextendedproperty", table, c.Name, c.Comment), tn)));
                return list;
            case DbColumn c:
                var add = new List<DdlStatement> { new(DdlPhase.AlterColumns, $"ALTER TABLE {Q(t!)} ADD {ColumnClause(c, named: true)}", tn) };
                if (c.Comment is not null) add.Add(new(DdlPhase.AlterColumns, Description("sp_addextendedproperty", t!, c.Name, c.Comment), tn));
                return add;
            case DbKey k when item.Kind == SchemaObjectKind.PrimaryKey:
                return [new(DdlPhase.AddConstraints, $"ALTER TABLE {Q(t!)} ADD {Named(k.Name, k.SystemNamed)}{PrimaryKeyDefinition(k)}", tn)];
            case DbIndex i:
                return [new(DdlPhase.AddConstraints, IndexDefinition(t!, i), tn)];
            case DbKey or DbForeignKey or DbCheck:
                return [new(CreatePhase(item.Kind), $"ALTER TABLE {Q(t!)} ADD {item.Definition}", tn)];
            case DbView v:
                // Named in Table: its text is the admin's, which the ordering of views cannot search for a quoted name.
                return [.. EnsureSchema(v.Schema), new(DdlPhase.CreateViews, v.Definition, v.TableName)];
            case DbTrigger g:
                return [new(DdlPhase.CreateTriggers, g.Definition)];
            case DbRoutine r:
                return [.. EnsureSchema(r.Schema), new(DdlPhase.CreateRoutines, r.Definition)];
            case DbSequence s:
                return [.. EnsureSchema(s.Schema), new(DdlPhase.CreateTypes, $"CREATE SEQUENCE {Q(new TableName(s.Schema, s.Name))} {item.Definition}")];
        }
        throw new NotSupportedException(item.Kind.ToString());
    }

    public override IReadOnlyList<DdlStatement> Drop(SchemaItem item)
    {
        var t = item.Table;
        var tn = item.TableName;
        var phase = DropPhase(item.Kind);
        return item.Payload switch
        {
            DbTable table => [new(phase, $"DROP TABLE {Q(table)}", tn, LosesData: true)],
            // A column's default constraint holds on to it: it goes first.
            DbColumn c => [.. DropDefault(phase, t!, c), new(phase, $"ALTER TABLE {Q(t!)} DROP COLUMN {Q(c.Name)}", tn, LosesData: true)],
            DbKey k => [new(phase, DropConstraint(t!, k.Name), tn)],
            DbForeignKey f => [new(phase, DropConstraint(t!, f.Name), tn)],
            DbCheck k => [new(phase, DropConstraint(t!, k.Name), tn)],
            DbIndex i => [new(phase, $"DROP INDEX {Q(i.Name)} ON {Q(t!)}", tn)],
            DbView v => [new(phase, $"DROP VIEW IF EXISTS {Q(v.TableName)}")],
            DbTrigger g => [new(phase, $"DROP TRIGGER IF EXISTS {Q(new TableName(g.Schema, g.Name))}")],
            DbRoutine r => [new(phase, $"DROP {r.Kind} IF EXISTS {Q(new TableName(r.Schema, r.Name))}")],
            DbSequence s => [new(phase, $"DROP SEQUENCE IF EXISTS {Q(new TableName(s.Schema, s.Name))}")],
            _ => throw new NotSupportedException(item.Kind.ToString()),
        };
    }

    public override IReadOnlyList<DdlStatement> Alter(SchemaItem reference, SchemaItem difference, DbCatalog referenceCatalog)
    {
        var t = reference.Table;
        var tn = reference.TableName;
        switch (reference.Payload)
        {
            case DbTable table:
                return CommentChange(table, null, table.Comment, ((DbTable)difference.Payload).Comment) is { } comment
                    ? [new(DdlPhase.AlterColumns, comment, tn)] : [];
            case DbColumn c:
                return AlterColumn(t!, c, (DbColumn)difference.Payload);
            case DbSequence s when s.DataType == ((DbSequence)difference.Payload).DataType:
                return [new(DdlPhase.CreateTypes, $"ALTER SEQUENCE {Q(new TableName(s.Schema, s.Name))} {SequenceOptions(s)}")];
        }
        return base.Alter(reference, difference, referenceCatalog);
    }

    private IReadOnlyList<DdlStatement> AlterColumn(DbTable t, DbColumn want, DbColumn have)
    {
        var tn = t.TableName;
        var table = Q(t);
        var column = Q(want.Name);
        var list = new List<DdlStatement>();
        void Add(string sql, bool losesData = false) => list.Add(new(DdlPhase.AlterColumns, sql, tn, losesData));
        if (want.GeneratedExpression != have.GeneratedExpression || want.GeneratedStored != have.GeneratedStored || want.Identity != have.Identity)
        {
            // A column cannot become (or stop being) computed or identity in place, nor change its seed: it is
            // rebuilt. Only a computed column that stays computed loses nothing.
            var loses = !(want.IsGenerated && have.IsGenerated);
            list.AddRange(DropDefault(DdlPhase.AlterColumns, t, have));
            Add($"ALTER TABLE {table} DROP COLUMN {column}", loses);
            Add($"ALTER TABLE {table} ADD {ColumnClause(want, named: true)}", loses);
            if (want.Comment is not null) Add(Description("sp_addextendedproperty", t, want.Name, want.Comment));
            return list;
        }
        var columnChanges = want.Type != have.Type || want.Collation != have.Collation || want.Nullable != have.Nullable;
        var defaultChanges = want.Default != have.Default;
        // A default constraint holds on to its column: it goes before the column changes and comes back after.
        if (defaultChanges || columnChanges) list.AddRange(DropDefault(DdlPhase.AlterColumns, t, have));
        // ALTER COLUMN restates nullability: left out, it would become the session's default.
        if (columnChanges)
            Add($"ALTER TABLE {table} ALTER COLUMN {column} {want.Type}{(want.Collation is null ? "" : " COLLATE " + Collation(want.Collation))}{(want.Nullable ? " NULL" : " NOT NULL")}");
        if (want.Default is not null && (defaultChanges || have.Default is not null && columnChanges))
            Add($"ALTER TABLE {table} ADD{DefaultName(want)} DEFAULT ({want.Default}) FOR {column}");
        if (CommentChange(t, want.Name, want.Comment, have.Comment) is { } comment) Add(comment);
        return list;
    }

    /// <summary>A schema other than dbo may be missing on the difference side: made first where it is, once per
    /// script however many objects are in it (the statements are equal).</summary>
    private IEnumerable<DdlStatement> EnsureSchema(string? schema)
    {
        if (schema is null || schema.Equals("dbo", StringComparison.OrdinalIgnoreCase)) yield break;
        yield return new(DdlPhase.CreateTypes, $"IF SCHEMA_ID({Literal(schema)}) IS NULL EXEC({Literal("CREATE SCHEMA " + Q(schema))})");
    }

    private IEnumerable<DdlStatement> DropDefault(DdlPhase phase, DbTable t, DbColumn c)
    {
        if (c.Default is not null && c.DefaultName is not null) yield return new(phase, DropConstraint(t, c.DefaultName), t.TableName);
    }

    /// <summary>The MS_Description call that turns <paramref name="have"/> into <paramref name="want"/>; null when equal.</summary>
    private string? CommentChange(DbTable t, string? column, string? want, string? have) =>
        want == have ? null
        : want is null ? Description("sp_dropextendedproperty", t, column, null)
        : Description(have is null ? "sp_addextendedproperty" : "sp_updateextendedproperty", t, column, want);

    /// <summary>A table's or column's comment, as SSMS keeps it. The names are string literals here, not identifiers.</summary>
    private string Description(string procedure, DbTable t, string? column, string? value) =>
        $"EXEC sys.{procedure} @name = N'MS_Description', {(value is null ? "" : "@value = " + Literal(value) + ", ")}"
        + $"@level0type = N'SCHEMA', @level0name = {Literal(t.Schema ?? "dbo")}, @level1type = N'TABLE', @level1name = {Literal(t.Name)}"
        + (column is null ? "" : $", @level2type = N'COLUMN', @level2name = {Literal(column)}");

    private string CreateTable(DbTable t)
    {
        var lines = new List<string>();
        lines.AddRange(t.Columns.Select(c => ColumnClause(c, named: true)));
        if (t.PrimaryKey is { } pk) lines.Add(Named(pk.Name, pk.SystemNamed) + PrimaryKeyDefinition(pk));
        lines.AddRange(t.UniqueConstraints.Select(UniqueDefinition));
        lines.AddRange(t.Checks.Select(CheckDefinition));
        return $"CREATE TABLE {Q(t)} (\n  {string.Join(",\n  ", lines)}\n)";
    }

    /// <summary>For sqlcmd and SSMS: every statement a batch of its own.</summary>
    public override string Script(IEnumerable<DdlStatement> statements) =>
        string.Concat(statements.Select(s => s.Sql + "\nGO\n"));

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex CollationName();
}
