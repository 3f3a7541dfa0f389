using System.Text;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>MySQL/MariaDB DDL: backtick-quoted names, MODIFY COLUMN for column changes (keeps the data),
/// routines and triggers as compound statements.</summary>
public sealed class MySqlDdlScripter : DdlScripter
{
    public MySqlDdlScripter(MySqlDialect dialect) : base(dialect) { }

    private bool MariaDb => Dialect.Kind == ProviderKind.MariaDb;

    // Backslash is an escape in MySQL string literals unless NO_BACKSLASH_ESCAPES.
    public override string Literal(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "''") + "'";

    public override string TableOptions(DbTable t)
    {
        var sb = new StringBuilder();
        if (t.Engine is not null) sb.Append("ENGINE=").Append(t.Engine);
        if (t.Collation is not null) sb.Append(sb.Length > 0 ? " " : "").Append("COLLATE=").Append(t.Collation);
        if (t.Comment is not null) sb.Append(sb.Length > 0 ? " " : "").Append("COMMENT=").Append(Literal(t.Comment));
        return sb.ToString();
    }

    public override string ColumnDefinition(DbTable table, DbColumn c)
    {
        var sb = new StringBuilder(Q(c.Name)).Append(' ').Append(c.Type);
        if (c.Collation is not null)
        {
            if (c.Charset is not null) sb.Append(" CHARACTER SET ").Append(c.Charset);
            sb.Append(" COLLATE ").Append(c.Collation);
        }
        if (c.GeneratedExpression is not null)
        {
            sb.Append(" GENERATED ALWAYS AS (").Append(c.GeneratedExpression).Append(c.GeneratedStored ? ") STORED" : ") VIRTUAL");
            // MariaDB refuses NOT NULL on a generated column and reports them all as nullable.
            if (!MariaDb && !c.Nullable) sb.Append(" NOT NULL");
        }
        else
        {
            sb.Append(c.Nullable ? " NULL" : " NOT NULL");
            if (c.Default is not null) sb.Append(" DEFAULT ").Append(c.Default);
            if (c.OnUpdate is not null) sb.Append(" ON UPDATE ").Append(c.OnUpdate);
            if (c.AutoIncrement) sb.Append(" AUTO_INCREMENT");
        }
        if (c.Comment is not null) sb.Append(" COMMENT ").Append(Literal(c.Comment));
        return sb.ToString();
    }

    public override string PrimaryKeyDefinition(DbKey key) => "PRIMARY KEY (" + Columns(key.Columns) + ")";

    public override string IndexDefinition(DbTable table, DbIndex i) => IndexKind(i) + "INDEX " + Q(i.Name) + " (" + Parts(i) + ")";

    private static string IndexKind(DbIndex i) => i.Method switch
    {
        "FULLTEXT" => "FULLTEXT ",
        "SPATIAL" => "SPATIAL ",
        _ => i.Unique ? "UNIQUE " : "",
    };

    private string Parts(DbIndex i) => string.Join(", ", i.Parts.Select(p =>
        (p.Column is null ? "(" + p.Expression + ")" : Q(p.Column))
        + (p.PrefixLength is int n ? "(" + n + ")" : "")
        + (p.Descending ? " DESC" : "")));

    public override string ForeignKeyDefinition(DbForeignKey f) =>
        $"CONSTRAINT {Q(f.Name)} FOREIGN KEY ({Columns(f.Columns)}) REFERENCES {Q(f.ReferencedTable)} ({Columns(f.ReferencedColumns)}) ON DELETE {f.OnDelete} ON UPDATE {f.OnUpdate}";

    public override string CheckDefinition(DbCheck k) => $"CONSTRAINT {Q(k.Name)} CHECK ({k.Expression})";

    public override string TriggerDefinition(DbTrigger g) => $"{g.Timing} {g.Event} ON {Q(g.Table)} FOR EACH ROW {g.Definition}";

    public override IReadOnlyList<DdlStatement> Create(SchemaItem item, DbCatalog reference)
    {
        var t = item.Table;
        var tn = item.TableName;
        switch (item.Payload)
        {
            case DbTable table:
                return [new DdlStatement(DdlPhase.CreateTables, CreateTable(table), tn)];
            case DbColumn c:
                var position = t!.Columns.IndexOf(c);
                var after = position <= 0 ? " FIRST" : " AFTER " + Q(t.Columns[position - 1].Name);
                return [new DdlStatement(DdlPhase.AlterColumns, $"ALTER TABLE {Q(t)} ADD COLUMN {ColumnDefinition(t, c)}{after}", tn)];
            case DbKey when item.Kind == SchemaObjectKind.PrimaryKey:
                return [new DdlStatement(DdlPhase.AddConstraints, $"ALTER TABLE {Q(t!)} ADD {item.Definition}", tn)];
            case DbIndex i:
                return [new DdlStatement(DdlPhase.AddConstraints, $"CREATE {IndexKind(i)}INDEX {Q(i.Name)} ON {Q(t!)} ({Parts(i)})", tn)];
            case DbForeignKey or DbCheck or DbKey:
                return [new DdlStatement(CreatePhase(item.Kind), $"ALTER TABLE {Q(t!)} ADD {item.Definition}", tn)];
            case DbView v:
                return [new DdlStatement(DdlPhase.CreateViews, $"CREATE OR REPLACE VIEW {Q(v.Name)} AS {v.Definition}")];
            case DbTrigger g:
                return [new DdlStatement(DdlPhase.CreateTriggers, $"CREATE TRIGGER {Q(g.Name)} {item.Definition}", Delimited: true)];
            case DbRoutine r:
                return [new DdlStatement(DdlPhase.CreateRoutines, r.Definition, Delimited: true)];
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
            DbTable table => [new DdlStatement(phase, $"DROP TABLE {Q(table)}", tn, LosesData: true)],
            DbColumn c => [new DdlStatement(phase, $"ALTER TABLE {Q(t!)} DROP COLUMN {Q(c.Name)}", tn, LosesData: true)],
            DbKey when item.Kind == SchemaObjectKind.PrimaryKey => [new DdlStatement(phase, $"ALTER TABLE {Q(t!)} DROP PRIMARY KEY", tn)],
            DbIndex i => [new DdlStatement(phase, $"DROP INDEX {Q(i.Name)} ON {Q(t!)}", tn)],
            DbForeignKey f => [new DdlStatement(phase, $"ALTER TABLE {Q(t!)} DROP FOREIGN KEY {Q(f.Name)}", tn)],
            DbCheck k => [new DdlStatement(phase, DropConstraint(t!, k.Name), tn)],
            DbView v => [new DdlStatement(phase, $"DROP VIEW IF EXISTS {Q(v.Name)}")],
            DbTrigger g => [new DdlStatement(phase, $"DROP TRIGGER IF EXISTS {Q(g.Name)}")],
            DbRoutine r => [new DdlStatement(phase, $"DROP {r.Kind} IF EXISTS {Q(r.Name)}")],
            _ => throw new NotSupportedException(item.Kind.ToString()),
        };
    }

    public override IReadOnlyList<DdlStatement> Alter(SchemaItem reference, SchemaItem difference, DbCatalog referenceCatalog)
    {
        var t = reference.Table;
        var tn = reference.TableName;
        return reference.Payload switch
        {
            DbTable => [new DdlStatement(DdlPhase.AlterColumns, $"ALTER TABLE {Q(t!)} {reference.Definition}", tn)],
            // MODIFY keeps the column's data, converting it where the type changes.
            DbColumn c => [new DdlStatement(DdlPhase.AlterColumns, $"ALTER TABLE {Q(t!)} MODIFY COLUMN {ColumnDefinition(t!, c)}", tn)],
            DbKey when reference.Kind == SchemaObjectKind.PrimaryKey =>
                [new DdlStatement(DdlPhase.AddConstraints, $"ALTER TABLE {Q(t!)} DROP PRIMARY KEY, ADD {reference.Definition}", tn)],
            DbView v => [new DdlStatement(DdlPhase.CreateViews, $"CREATE OR REPLACE VIEW {Q(v.Name)} AS {v.Definition}")],
            _ => base.Alter(reference, difference, referenceCatalog),
        };
    }

    private string CreateTable(DbTable t)
    {
        var lines = new List<string>();
        lines.AddRange(t.Columns.Select(c => ColumnDefinition(t, c)));
        if (t.PrimaryKey is { } pk) lines.Add(PrimaryKeyDefinition(pk));
        lines.AddRange(t.Indexes.Select(i => IndexDefinition(t, i)));
        lines.AddRange(t.Checks.Select(CheckDefinition));
        var options = TableOptions(t);
        return $"CREATE TABLE {Q(t)} (\n  {string.Join(",\n  ", lines)}\n){(options.Length > 0 ? " " + options : "")}";
    }

    public override string Script(IEnumerable<DdlStatement> statements)
    {
        var sb = new StringBuilder();
        foreach (var s in statements)
        {
            if (s.Delimited) sb.Append("DELIMITER $$\n").Append(s.Sql).Append("$$\nDELIMITER ;\n");
            else sb.Append(s.Sql).Append(";\n");
        }
        return sb.ToString();
    }
}
