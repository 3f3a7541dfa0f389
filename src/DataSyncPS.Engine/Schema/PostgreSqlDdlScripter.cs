using System.Text;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>PostgreSQL DDL. Constraints, indexes, views, triggers and functions are written as the server
/// wrote them (pg_get_*def, with an empty search_path so every name is qualified); columns from the model,
/// changed with ALTER COLUMN ... TYPE/DEFAULT/NOT NULL so their data stays.</summary>
public sealed class PostgreSqlDdlScripter : DdlScripter
{
    public PostgreSqlDdlScripter() : base(PostgreSqlDialect.Instance) { }

    public override string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    /// <summary>The text inside a literal as pg_get_expr writes it (quotes doubled).</summary>
    internal static string UnquoteLiteral(string inner) => inner.Replace("''", "'");

    public override string TableOptions(DbTable t) => t.Comment is null ? "" : "COMMENT " + Literal(t.Comment);

    /// <summary>The column as CREATE TABLE writes it; a comment follows on a line of its own (it is a
    /// COMMENT ON statement, not part of the column).</summary>
    public override string ColumnDefinition(DbTable table, DbColumn c) =>
        ColumnClause(c) + (c.Comment is null ? "" : "\nCOMMENT " + Literal(c.Comment));

    private string ColumnClause(DbColumn c)
    {
        var sb = new StringBuilder(Q(c.Name)).Append(' ').Append(c.Type);
        if (c.Collation is not null) sb.Append(" COLLATE ").Append(Q(c.Collation));
        if (c.GeneratedExpression is not null) sb.Append(" GENERATED ALWAYS AS (").Append(c.GeneratedExpression).Append(") STORED");
        if (c.Identity is not null) sb.Append(" GENERATED ").Append(c.Identity).Append(" AS IDENTITY");
        if (c.Default is not null) sb.Append(" DEFAULT ").Append(c.Default);
        if (!c.Nullable) sb.Append(" NOT NULL");
        return sb.ToString();
    }

    // Compared without its name: t_pkey and pk_t are the same key.
    public override string PrimaryKeyDefinition(DbKey key) => key.Definition ?? "PRIMARY KEY (" + Columns(key.Columns) + ")";

    public override string IndexDefinition(DbTable table, DbIndex i) => i.Definition!;

    public override string ForeignKeyDefinition(DbForeignKey f) => $"CONSTRAINT {Q(f.Name)} {f.Definition}";

    public override string CheckDefinition(DbCheck k) => $"CONSTRAINT {Q(k.Name)} {k.Expression}";

    public override string TriggerDefinition(DbTrigger g) => g.Definition;

    public override string SequenceDefinition(DbSequence s) =>
        $"AS {s.DataType} INCREMENT BY {s.Increment} MINVALUE {s.Min} MAXVALUE {s.Max} START WITH {s.Start} {(s.Cycle ? "CYCLE" : "NO CYCLE")}";

    private string Comment(string what, string? comment) => $"COMMENT ON {what} IS {(comment is null ? "NULL" : Literal(comment))}";

    public override IReadOnlyList<DdlStatement> Create(SchemaItem item, DbCatalog reference)
    {
        var t = item.Table;
        var tn = item.TableName;
        switch (item.Payload)
        {
            case DbTable table:
                var list = new List<DdlStatement> { new(DdlPhase.CreateTables, CreateTable(table), tn) };
                list.AddRange(table.Indexes.Select(i => new DdlStatement(DdlPhase.CreateTables, i.Definition!, tn)));
                if (table.Comment is not null) list.Add(new(DdlPhase.CreateTables, Comment("TABLE " + Q(table), table.Comment), tn));
                list.AddRange(table.Columns.Where(c => c.Comment is not null)
                    .Select(c => new DdlStatement(DdlPhase.CreateTables, Comment("COLUMN " + Q(table) + "." + Q(c.Name), c.Comment), tn)));
                return list;
            case DbColumn c:
                var add = new List<DdlStatement> { new(DdlPhase.AlterColumns, $"ALTER TABLE {Q(t!)} ADD COLUMN {ColumnClause(c)}", tn) };
                if (c.Comment is not null) add.Add(new(DdlPhase.AlterColumns, Comment("COLUMN " + Q(t!) + "." + Q(c.Name), c.Comment), tn));
                return add;
            case DbKey k when item.Kind == SchemaObjectKind.PrimaryKey:
                return [new(DdlPhase.AddConstraints, $"ALTER TABLE {Q(t!)} ADD CONSTRAINT {Q(k.Name)} {k.Definition}", tn)];
            case DbIndex i:
                return [new(DdlPhase.AddConstraints, i.Definition!, tn)];
            case DbKey or DbForeignKey or DbCheck:
                return [new(CreatePhase(item.Kind), $"ALTER TABLE {Q(t!)} ADD {item.Definition}", tn)];
            case DbView v:
                var body = v.Definition.TrimEnd(';');
                return body.StartsWith("MATERIALIZED ", StringComparison.Ordinal)
                    ? [new(DdlPhase.CreateViews, $"CREATE MATERIALIZED VIEW {Q(v.TableName)} AS {body["MATERIALIZED ".Length..]}")]
                    : [new(DdlPhase.CreateViews, $"CREATE OR REPLACE VIEW {Q(v.TableName)} AS {body}")];
            case DbTrigger g:
                return [new(DdlPhase.CreateTriggers, g.Definition)];
            case DbRoutine r:
                return [new(DdlPhase.CreateRoutines, r.Definition)];
            case DbSequence s:
                return [new(DdlPhase.CreateTypes, $"CREATE SEQUENCE {Q(new TableName(s.Schema, s.Name))} {item.Definition}")];
            case DbEnumType e:
                return [new(DdlPhase.CreateTypes, $"CREATE TYPE {Q(new TableName(e.Schema, e.Name))} AS {item.Definition}")];
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
            DbColumn c => [new(phase, $"ALTER TABLE {Q(t!)} DROP COLUMN {Q(c.Name)}", tn, LosesData: true)],
            DbKey k => [new(phase, DropConstraint(t!, k.Name), tn)],
            DbForeignKey f => [new(phase, DropConstraint(t!, f.Name), tn)],
            DbCheck k => [new(phase, DropConstraint(t!, k.Name), tn)],
            DbIndex i => [new(phase, $"DROP INDEX {Q(new TableName(t!.Schema, i.Name))}", tn)],
            DbView v => [new(phase, $"DROP {(v.Definition.StartsWith("MATERIALIZED ", StringComparison.Ordinal) ? "MATERIALIZED " : "")}VIEW IF EXISTS {Q(v.TableName)}")],
            DbTrigger g => [new(phase, $"DROP TRIGGER IF EXISTS {Q(g.Name)} ON {Q(new TableName(g.Schema, g.Table))}")],
            DbRoutine r => [new(phase, $"DROP {r.Kind} IF EXISTS {Q(new TableName(r.Schema, r.Name))}({r.Signature})")],
            DbSequence s => [new(phase, $"DROP SEQUENCE IF EXISTS {Q(new TableName(s.Schema, s.Name))}")],
            DbEnumType e => [new(phase, $"DROP TYPE IF EXISTS {Q(new TableName(e.Schema, e.Name))}")],
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
                return [new(DdlPhase.AlterColumns, Comment("TABLE " + Q(table), table.Comment), tn)];
            case DbColumn c:
                return AlterColumn(t!, c, (DbColumn)difference.Payload);
            case DbRoutine r:
                // CREATE OR REPLACE keeps the triggers that call it.
                return [new(DdlPhase.CreateRoutines, r.Definition)];
            case DbSequence s:
                return [new(DdlPhase.CreateTypes, $"ALTER SEQUENCE {Q(new TableName(s.Schema, s.Name))} {reference.Definition}")];
            case DbEnumType e when ((DbEnumType)difference.Payload).Labels is var had && had.All(e.Labels.Contains):
                // Labels can be added in place; existing rows keep theirs.
                var statements = new List<DdlStatement>();
                for (var i = 0; i < e.Labels.Count; i++)
                {
                    if (had.Contains(e.Labels[i])) continue;
                    var where = i > 0 ? " AFTER " + Literal(e.Labels[i - 1]) : e.Labels.Count > 1 ? " BEFORE " + Literal(e.Labels[1]) : "";
                    statements.Add(new(DdlPhase.CreateTypes, $"ALTER TYPE {Q(new TableName(e.Schema, e.Name))} ADD VALUE {Literal(e.Labels[i])}{where}"));
                }
                return statements;
        }
        return base.Alter(reference, difference, referenceCatalog);
    }

    private IReadOnlyList<DdlStatement> AlterColumn(DbTable t, DbColumn want, DbColumn have)
    {
        var tn = t.TableName;
        var table = Q(t);
        var column = Q(want.Name);
        if (want.GeneratedExpression != have.GeneratedExpression || want.Identity != have.Identity && (want.Identity is null || have.Identity is null))
        {
            // A generated or identity column cannot become another kind in place: the column is rebuilt.
            var rebuilt = new List<DdlStatement>
            {
                new(DdlPhase.AlterColumns, $"ALTER TABLE {table} DROP COLUMN {column}", tn, LosesData: true),
                new(DdlPhase.AlterColumns, $"ALTER TABLE {table} ADD COLUMN {ColumnClause(want)}", tn, LosesData: true),
            };
            if (want.Comment is not null) rebuilt.Add(new(DdlPhase.AlterColumns, Comment("COLUMN " + table + "." + column, want.Comment), tn));
            return rebuilt;
        }
        var list = new List<DdlStatement>();
        void Add(string sql) => list.Add(new(DdlPhase.AlterColumns, sql, tn));
        if (want.Default is null && have.Default is not null) Add($"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT");
        if (want.Type != have.Type || want.Collation != have.Collation)
            Add($"ALTER TABLE {table} ALTER COLUMN {column} TYPE {want.Type}{(want.Collation is null ? "" : " COLLATE " + Q(want.Collation))} USING {column}::{want.Type}");
        if (want.Identity is not null && want.Identity != have.Identity) Add($"ALTER TABLE {table} ALTER COLUMN {column} SET GENERATED {want.Identity}");
        if (want.Default is not null && want.Default != have.Default) Add($"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {want.Default}");
        if (want.Nullable != have.Nullable) Add($"ALTER TABLE {table} ALTER COLUMN {column} {(want.Nullable ? "DROP" : "SET")} NOT NULL");
        if (want.Comment != have.Comment) Add(Comment("COLUMN " + table + "." + column, want.Comment));
        return list;
    }

    private string CreateTable(DbTable t)
    {
        var lines = new List<string>();
        lines.AddRange(t.Columns.Select(ColumnClause));
        if (t.PrimaryKey is { } pk) lines.Add($"CONSTRAINT {Q(pk.Name)} {PrimaryKeyDefinition(pk)}");
        lines.AddRange(t.UniqueConstraints.Select(UniqueDefinition));
        lines.AddRange(t.Checks.Select(CheckDefinition));
        return $"CREATE TABLE {Q(t)} (\n  {string.Join(",\n  ", lines)}\n)";
    }
}
