using System.Data.Common;
using System.Text.RegularExpressions;
using DataSyncPS.Engine.Sources;
using static DataSyncPS.Engine.Schema.CatalogReading;

namespace DataSyncPS.Engine.Schema;

/// <summary>MySQL/MariaDB catalog from information_schema (SHOW CREATE for routine bodies), for the
/// connection's database. Spelling is normalised here: integer display widths, NULL defaults, a
/// column collation that restates the table's, the database's own name inside view bodies.</summary>
internal sealed partial class MySqlCatalogReader(SqlDialect dialect) : CatalogReader(dialect)
{
    protected override string CurrentSchemaSql => "SELECT DATABASE()";

    protected override string TablesSql => """
        SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME
        """;

    // MariaDB declares JSON as LONGTEXT plus CHECK (json_valid(`col`)); MySQL has a real JSON type.
    protected override string ColumnsSql => """
        SELECT c.COLUMN_NAME,
               CASE WHEN c.DATA_TYPE = 'longtext' AND EXISTS (
                        SELECT 1 FROM information_schema.CHECK_CONSTRAINTS k
                        WHERE k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
                          AND k.CHECK_CLAUSE LIKE CONCAT('%json_valid(`', c.COLUMN_NAME, '`)%'))
                    THEN 'json' ELSE c.COLUMN_TYPE END,
               c.IS_NULLABLE,
               COALESCE((SELECT s.SEQ_IN_INDEX FROM information_schema.STATISTICS s
                         WHERE s.TABLE_SCHEMA = c.TABLE_SCHEMA AND s.TABLE_NAME = c.TABLE_NAME
                           AND s.INDEX_NAME = 'PRIMARY' AND s.COLUMN_NAME = c.COLUMN_NAME), 0),
               c.TABLE_SCHEMA, c.TABLE_NAME
        FROM information_schema.COLUMNS c
        WHERE c.TABLE_SCHEMA = @p0 AND c.TABLE_NAME = @p1
        ORDER BY c.ORDINAL_POSITION
        """;

    public override async Task<DbCatalog> ReadCatalogAsync(DbConnection c, IReadOnlyList<string>? schemas, CancellationToken ct)
    {
        var provider = Dialect.Kind;
        var db = Text((await RowsAsync(c, "SELECT DATABASE()", ct).ConfigureAwait(false))[0][0])
            ?? throw new SyncException(SyncErrorKind.InvalidArgument, "The MySQL/MariaDB source has no database selected.");
        var mariaDb = provider == ProviderKind.MariaDb
            || (Text((await RowsAsync(c, "SELECT VERSION()", ct).ConfigureAwait(false))[0][0]) ?? "").Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
        var catalog = new DbCatalog { Provider = provider, Database = db };
        var tables = new Dictionary<string, DbTable>(StringComparer.Ordinal);

        foreach (var r in await RowsAsync(c, """
            SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, TABLE_COMMENT FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = @p0 AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME
            """, ct, db).ConfigureAwait(false))
        {
            var t = new DbTable { Name = Text(r[0])!, Engine = Text(r[1]), Collation = Text(r[2]), Comment = Empty(Text(r[3])) };
            tables[t.Name] = t;
            catalog.Tables.Add(t);
        }

        foreach (var r in await RowsAsync(c, """
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, CHARACTER_SET_NAME, COLLATION_NAME,
                   EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @p0 ORDER BY TABLE_NAME, ORDINAL_POSITION
            """, ct, db).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(Text(r[0])!, out var t)) continue; // a view's columns
            var extra = (Text(r[7]) ?? "").ToLowerInvariant();
            var generated = Empty(Text(r[8]));
            if (!extra.Contains("generated")) generated = null;
            var collation = Text(r[6]);
            t.Columns.Add(new DbColumn
            {
                Name = Text(r[1])!,
                Type = NormaliseType(Text(r[2])!),
                Nullable = Text(r[3]) == "YES",
                Default = generated is null ? NormaliseDefault(Text(r[4]), extra, mariaDb) : null,
                Collation = collation == t.Collation ? null : collation,
                Charset = collation == t.Collation ? null : Text(r[5]),
                AutoIncrement = extra.Contains("auto_increment"),
                GeneratedExpression = generated,
                GeneratedStored = extra.Contains("stored") || extra.Contains("persistent"),
                OnUpdate = OnUpdate().Match(extra) is { Success: true } m ? m.Groups[1].Value : null,
                Comment = Empty(Text(r[9])),
            });
        }

        // MySQL 8 has EXPRESSION for functional key parts; MariaDB has none.
        var expressionColumn = mariaDb ? "NULL" : "EXPRESSION";
        foreach (var r in await RowsAsync(c, $"""
            SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE, {expressionColumn}
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = @p0 ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
            """, ct, db).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(Text(r[0])!, out var t)) continue;
            var name = Text(r[1])!;
            var column = Text(r[3]);
            if (name == "PRIMARY")
            {
                t.PrimaryKey = new DbKey(name, [.. t.PrimaryKey?.Columns ?? [], column!]);
                continue;
            }
            var index = t.Indexes.FirstOrDefault(i => i.Name == name);
            if (index is null)
            {
                index = new DbIndex { Name = name, Unique = Convert.ToInt64(r[2]) == 0, Method = Text(r[6]) };
                t.Indexes.Add(index);
            }
            index.Parts.Add(new DbIndexPart(column, Empty(Text(r[7])), Text(r[5]) == "D", r[4] is null ? null : Convert.ToInt32(r[4])));
        }

        foreach (var r in await RowsAsync(c, """
            SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME,
                   k.REFERENCED_COLUMN_NAME, rc.DELETE_RULE, rc.UPDATE_RULE
            FROM information_schema.KEY_COLUMN_USAGE k
            JOIN information_schema.REFERENTIAL_CONSTRAINTS rc
              ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND rc.TABLE_NAME = k.TABLE_NAME
            WHERE k.TABLE_SCHEMA = @p0 AND k.REFERENCED_TABLE_NAME IS NOT NULL
            ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
            """, ct, db).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(Text(r[0])!, out var t)) continue;
            var name = Text(r[1])!;
            var existing = t.ForeignKeys.FindIndex(f => f.Name == name);
            var refSchema = Text(r[3]);
            var fk = new DbForeignKey
            {
                Name = name,
                Columns = [.. existing < 0 ? [] : t.ForeignKeys[existing].Columns, Text(r[2])!],
                // Another database's table stays qualified; this database's is not, so prod and sandbox compare.
                ReferencedTable = new TableName(refSchema == db ? null : refSchema, Text(r[4])!),
                ReferencedColumns = [.. existing < 0 ? [] : t.ForeignKeys[existing].ReferencedColumns, Text(r[5])!],
                OnDelete = Text(r[6]) ?? "NO ACTION",
                OnUpdate = Text(r[7]) ?? "NO ACTION",
            };
            if (existing < 0) t.ForeignKeys.Add(fk); else t.ForeignKeys[existing] = fk;
        }
        // RESTRICT and NO ACTION are the same in InnoDB; the catalog says whichever was typed.
        foreach (var t in catalog.Tables)
            for (var i = 0; i < t.ForeignKeys.Count; i++)
            {
                var f = t.ForeignKeys[i];
                t.ForeignKeys[i] = new DbForeignKey
                {
                    Name = f.Name, Columns = f.Columns, ReferencedTable = f.ReferencedTable, ReferencedColumns = f.ReferencedColumns,
                    OnDelete = f.OnDelete == "RESTRICT" ? "NO ACTION" : f.OnDelete, OnUpdate = f.OnUpdate == "RESTRICT" ? "NO ACTION" : f.OnUpdate,
                };
            }

        var checksSql = mariaDb
            ? "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = @p0 ORDER BY TABLE_NAME, CONSTRAINT_NAME"
            : """
              SELECT tc.TABLE_NAME, tc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS tc
              JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
              WHERE tc.TABLE_SCHEMA = @p0 AND tc.CONSTRAINT_TYPE = 'CHECK' ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME
              """;
        foreach (var r in await RowsAsync(c, checksSql, ct, db).ConfigureAwait(false))
            if (tables.TryGetValue(Text(r[0])!, out var t)) t.Checks.Add(new DbCheck(Text(r[1])!, Unqualify(Text(r[2])!, db)));

        foreach (var r in await RowsAsync(c, """
            SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = @p0 ORDER BY TABLE_NAME
            """, ct, db).ConfigureAwait(false))
            catalog.Views.Add(new DbView(null, Text(r[0])!, Unqualify(Text(r[1]) ?? "", db)));

        foreach (var r in await RowsAsync(c, """
            SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT
            FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = @p0 ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME
            """, ct, db).ConfigureAwait(false))
            catalog.Triggers.Add(new DbTrigger(null, Text(r[0])!, Text(r[1])!, Text(r[2])!, Text(r[3])!, Unqualify(Text(r[4])!, db)));

        foreach (var r in await RowsAsync(c, """
            SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = @p0 ORDER BY ROUTINE_TYPE, ROUTINE_NAME
            """, ct, db).ConfigureAwait(false))
        {
            var name = Text(r[0])!;
            var kind = Text(r[1])!.ToUpperInvariant() == "FUNCTION" ? "FUNCTION" : "PROCEDURE";
            var show = await RowsAsync(c, $"SHOW CREATE {kind} {MySqlDialect.MariaDb.QuoteIdentifier(name)}", ct).ConfigureAwait(false);
            var text = show.Count == 0 ? null : Text(show[0][2]);
            if (text is null) continue; // no privilege to see the body
            catalog.Routines.Add(new DbRoutine(null, name, kind, "", Unqualify(Definer().Replace(text, "CREATE "), db).Trim()));
        }
        return catalog;
    }

    /// <summary>int(11) is int: display widths mean nothing since MySQL 8.0.19 and differ between versions;
    /// tinyint(1) keeps its width, which drivers read as a boolean.</summary>
    internal static string NormaliseType(string columnType)
    {
        var t = columnType.Trim();
        var m = IntegerWidth().Match(t);
        if (m.Success && !(m.Groups[1].Value.Equals("tinyint", StringComparison.OrdinalIgnoreCase) && m.Groups[2].Value == "1"))
            t = m.Groups[1].Value + t[m.Length..];
        return t.ToLowerInvariant() == t ? t : t; // types come back lower case already; values of enum() keep theirs
    }

    /// <summary>MariaDB writes a default as an expression ('abc', 0, NULL, current_timestamp()); MySQL as a
    /// bare value unless DEFAULT_GENERATED. Both become an expression, and NULL becomes no default.</summary>
    internal static string? NormaliseDefault(string? value, string extra, bool mariaDb)
    {
        if (value is null) return null;
        if (mariaDb) return value == "NULL" ? null : value;
        if (extra.Contains("default_generated") || value.Equals("CURRENT_TIMESTAMP", StringComparison.OrdinalIgnoreCase)) return value;
        return "'" + value.Replace("\\", "\\\\").Replace("'", "''") + "'";
    }

    /// <summary>Takes the database's own name out of the catalog's text (view bodies, routines), so the
    /// same view in prod and sandbox reads the same.</summary>
    internal static string Unqualify(string text, string database) =>
        text.Replace("`" + database.Replace("`", "``") + "`.", "", StringComparison.Ordinal);

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    [GeneratedRegex(@"^(tinyint|smallint|mediumint|int|integer|bigint)\((\d+)\)", RegexOptions.IgnoreCase)]
    private static partial Regex IntegerWidth();

    [GeneratedRegex(@"on update ([a-z_]+(\(\d*\))?)")]
    private static partial Regex OnUpdate();

    [GeneratedRegex(@"^CREATE\s+DEFINER\s*=\s*(`[^`]*`|'[^']*'|\S+?)@(`[^`]*`|'[^']*'|\S+)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Definer();
}
