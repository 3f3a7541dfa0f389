using System.Data.Common;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Backup;

/// <summary>Drops every object of a database (not the database itself, whose grants and settings stay), so
/// a restore into it leaves it exactly as the backup was: tables, views and routines made since the
/// backup are gone too, which a dump's own DROP ... IF EXISTS lines would leave behind. Objects that
/// belong to an extension (PostgreSQL) are the extension's to keep.</summary>
internal static class DatabaseClearing
{
    public static async Task ClearAsync(SyncSource target, CancellationToken ct)
    {
        await using var c = await SourceConnector.OpenAsync(target, ct).ConfigureAwait(false);
        if (target.Provider == ProviderKind.PostgreSql) await ExecuteAsync(c, PostgreSqlClearing, ct).ConfigureAwait(false);
        else await ClearMySqlAsync(c, target.Dialect!, ct).ConfigureAwait(false);
    }

    private static async Task ClearMySqlAsync(DbConnection c, SqlDialect dialect, CancellationToken ct)
    {
        var drops = new List<string>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = """
                SELECT CASE table_type WHEN 'VIEW' THEN 'VIEW' WHEN 'SEQUENCE' THEN 'SEQUENCE' ELSE 'TABLE' END, table_name
                FROM information_schema.tables WHERE table_schema = DATABASE()
                UNION ALL SELECT routine_type, routine_name FROM information_schema.routines WHERE routine_schema = DATABASE()
                UNION ALL SELECT 'EVENT', event_name FROM information_schema.events WHERE event_schema = DATABASE()
                """;
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) drops.Add($"DROP {r.GetString(0)} IF EXISTS {dialect.QuoteIdentifier(r.GetString(1))}");
        }
        // Tables referenced by others' foreign keys go in any order with the checks off.
        await ExecuteAsync(c, "SET FOREIGN_KEY_CHECKS = 0", ct).ConfigureAwait(false);
        // Views first, then what they read from.
        foreach (var drop in drops.OrderBy(d => d.StartsWith("DROP VIEW", StringComparison.Ordinal) ? 0 : 1))
            await ExecuteAsync(c, drop, ct).ConfigureAwait(false);
    }

    /// <summary>Every schema but public and the system's is dropped whole (the dump creates them again);
    /// public keeps only its extensions' objects.</summary>
    private const string PostgreSqlClearing = """
        DO $clear$
        DECLARE r record;
        BEGIN
          FOR r IN SELECT n.nspname FROM pg_namespace n
                   WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
          LOOP EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname); END LOOP;
          FOR r IN SELECT c.relname, c.relkind FROM pg_class c
                   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                     -- an extension's objects, and identity sequences (they go with their table)
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i'))
          LOOP
            EXECUTE format('DROP %s IF EXISTS public.%I CASCADE',
              CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.relname);
          END LOOP;
          FOR r IN SELECT p.oid::regprocedure AS signature, p.prokind FROM pg_proc p
                   WHERE p.pronamespace = 'public'::regnamespace
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
          LOOP EXECUTE format('DROP %s IF EXISTS %s CASCADE', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, r.signature); END LOOP;
          FOR r IN SELECT t.typname, t.typtype FROM pg_type t
                   WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm', 'c')
                     AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
          LOOP EXECUTE format('DROP %s IF EXISTS public.%I CASCADE', CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, r.typname); END LOOP;
        END
        $clear$
        """;

    private static async Task ExecuteAsync(DbConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
