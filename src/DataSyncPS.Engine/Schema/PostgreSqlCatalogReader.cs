using System.Data.Common;
using DataSyncPS.Engine.Sources;
using static DataSyncPS.Engine.Schema.CatalogReading;

namespace DataSyncPS.Engine.Schema;

/// <summary>PostgreSQL catalog from pg_catalog, in the engine's own canonical words (format_type,
/// pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef, pg_get_functiondef), which are
/// already free of spelling differences. Objects that belong to extensions are left out.</summary>
internal sealed class PostgreSqlCatalogReader(SqlDialect dialect) : CatalogReader(dialect)
{
    protected override string CurrentSchemaSql => "SELECT current_schema()";

    protected override string TablesSql => """
        SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY table_schema, table_name
        """;

    protected override string ColumnsSql => """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
               COALESCE((SELECT k.n FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(att, n) WHERE k.att = a.attnum), 0),
               n.nspname, c.relname
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE n.nspname = @p0 AND c.relname = @p1 AND a.attnum > 0 AND NOT a.attisdropped
          AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
        ORDER BY a.attnum
        """;

    private const string SchemaFilter = """
        n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
        AND (@p0::text[] IS NULL OR n.nspname = ANY(@p0::text[]))
        """;

    private const string NotExtension = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {0} AND d.deptype = 'e')";

    public override async Task<DbCatalog> ReadCatalogAsync(DbConnection c, IReadOnlyList<string>? schemas, CancellationToken ct)
    {
        // Names as pg_get_* write them depend on search_path: empty it, so every name comes out qualified
        // the same way in both databases.
        await RowsAsync(c, "SELECT set_config('search_path', '', false)", ct).ConfigureAwait(false);
        object? s = schemas is { Count: > 0 } ? schemas.ToArray() : null;
        var db = Text((await RowsAsync(c, "SELECT current_database()", ct).ConfigureAwait(false))[0][0])!;
        var catalog = new DbCatalog { Provider = ProviderKind.PostgreSql, Database = db };
        var tables = new Dictionary<long, DbTable>();

        foreach (var r in await RowsAsync(c, $"""
            SELECT c.oid::bigint, n.nspname, c.relname, obj_description(c.oid, 'pg_class')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {SchemaFilter} AND {string.Format(NotExtension, "c.oid")}
            ORDER BY n.nspname, c.relname
            """, ct, s).ConfigureAwait(false))
        {
            var t = new DbTable { Schema = Text(r[1]), Name = Text(r[2])!, Comment = Text(r[3]) };
            tables[Convert.ToInt64(r[0])] = t;
            catalog.Tables.Add(t);
        }

        foreach (var r in await RowsAsync(c, $"""
            SELECT a.attrelid::bigint, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                   pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, a.attgenerated::text,
                   CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, col_description(a.attrelid, a.attnum)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {SchemaFilter}
            ORDER BY a.attrelid, a.attnum
            """, ct, s).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(Convert.ToInt64(r[0]), out var t)) continue;
            var identity = Text(r[5]) switch { "a" => "ALWAYS", "d" => "BY DEFAULT", _ => null };
            var generated = Text(r[6]) == "s";
            var expression = Text(r[4]);
            t.Columns.Add(new DbColumn
            {
                Name = Text(r[1])!,
                Type = Text(r[2])!,
                Nullable = Convert.ToBoolean(r[3]),
                Default = generated ? null : expression,
                GeneratedExpression = generated ? expression : null,
                GeneratedStored = generated,
                Identity = identity,
                Collation = Text(r[7]),
                Comment = Text(r[8]),
            });
        }

        foreach (var r in await RowsAsync(c, $"""
            SELECT k.conrelid::bigint, k.conname, k.contype::text, pg_get_constraintdef(k.oid),
                   ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o)::text[],
                   rn.nspname, rc.relname,
                   ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o)::text[],
                   k.confdeltype::text, k.confupdtype::text
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_class rc ON rc.oid = k.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
            WHERE k.contype IN ('p', 'u', 'f', 'c') AND {SchemaFilter}
            ORDER BY k.conrelid, k.conname
            """, ct, s).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(Convert.ToInt64(r[0]), out var t)) continue;
            var name = Text(r[1])!;
            var definition = Text(r[3])!;
            var columns = (string[])r[4]!;
            switch (Text(r[2]))
            {
                case "p": t.PrimaryKey = new DbKey(name, columns) { Definition = definition }; break;
                case "u": t.UniqueConstraints.Add(new DbKey(name, columns) { Definition = definition }); break;
                case "c": t.Checks.Add(new DbCheck(name, definition)); break;
                case "f":
                    t.ForeignKeys.Add(new DbForeignKey
                    {
                        Name = name, Columns = columns, Definition = definition,
                        ReferencedTable = new TableName(Text(r[5]), Text(r[6])!), ReferencedColumns = (string[])r[7]!,
                        OnDelete = Action(Text(r[8])), OnUpdate = Action(Text(r[9])),
                    });
                    break;
            }
        }

        // Indexes that back a constraint are the constraint's.
        foreach (var r in await RowsAsync(c, $"""
            SELECT i.indrelid::bigint, ic.relname, i.indisunique, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
              AND {SchemaFilter}
            ORDER BY i.indrelid, ic.relname
            """, ct, s).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(Convert.ToInt64(r[0]), out var t)) continue;
            t.Indexes.Add(new DbIndex { Name = Text(r[1])!, Unique = Convert.ToBoolean(r[2]), Definition = Text(r[3]) });
        }

        foreach (var r in await RowsAsync(c, $"""
            SELECT n.nspname, c.relname, pg_get_viewdef(c.oid, true), c.relkind::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('v', 'm') AND {SchemaFilter} AND {string.Format(NotExtension, "c.oid")}
            ORDER BY n.nspname, c.relname
            """, ct, s).ConfigureAwait(false))
            catalog.Views.Add(new DbView(Text(r[0]), Text(r[1])!, (Text(r[3]) == "m" ? "MATERIALIZED " : "") + Text(r[2])!.Trim()));

        foreach (var r in await RowsAsync(c, $"""
            SELECT n.nspname, tg.tgname, c.relname, pg_get_triggerdef(tg.oid)
            FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT tg.tgisinternal AND {SchemaFilter}
            ORDER BY n.nspname, c.relname, tg.tgname
            """, ct, s).ConfigureAwait(false))
            catalog.Triggers.Add(new DbTrigger(Text(r[0]), Text(r[1])!, Text(r[2])!, "", "", Text(r[3])!));

        foreach (var r in await RowsAsync(c, $"""
            SELECT n.nspname, p.proname, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                   pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prokind IN ('f', 'p') AND {SchemaFilter} AND {string.Format(NotExtension, "p.oid")}
            ORDER BY n.nspname, p.proname, 4
            """, ct, s).ConfigureAwait(false))
            catalog.Routines.Add(new DbRoutine(Text(r[0]), Text(r[1])!, Text(r[2])!, Text(r[3]) ?? "", Text(r[4])!.Trim()));

        // Sequences an identity column owns come with their column.
        foreach (var r in await RowsAsync(c, $"""
            SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcycle
            FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {SchemaFilter} AND {string.Format(NotExtension, "c.oid")}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i')
            ORDER BY n.nspname, c.relname
            """, ct, s).ConfigureAwait(false))
            catalog.Sequences.Add(new DbSequence(Text(r[0])!, Text(r[1])!, Text(r[2])!, Convert.ToInt64(r[3]), Convert.ToInt64(r[4]),
                Convert.ToInt64(r[5]), Convert.ToInt64(r[6]), Convert.ToBoolean(r[7])));

        foreach (var r in await RowsAsync(c, $"""
            SELECT n.nspname, t.typname, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)::text[]
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'e' AND {SchemaFilter} AND {string.Format(NotExtension, "t.oid")}
            ORDER BY n.nspname, t.typname
            """, ct, s).ConfigureAwait(false))
            catalog.EnumTypes.Add(new DbEnumType(Text(r[0])!, Text(r[1])!, (string[])r[2]!));

        return catalog;
    }

    private static string Action(string? code) => code switch
    {
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        "r" => "RESTRICT",
        _ => "NO ACTION",
    };
}
