using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>What a copy does to the target around loading its data tables, engine by engine: checks,
/// keys, indexes and triggers off before the first table, and back on, rebuilt and verified after the
/// last; the loads themselves are <see cref="PageLoader"/>'s.</summary>
internal static partial class DataLoadBracket
{
    /// <summary>Before the first data table: foreign-key checks off for the load (MySQL: the session flag;
    /// PostgreSQL: the keys that touch a data table are dropped and added back, validated, after), user
    /// triggers off (PostgreSQL) so the copied rows are the source's, and the data tables emptied — except
    /// those an earlier, killed run left half copied (<paramref name="resumed"/>), which keep their rows. On
    /// PostgreSQL the emptied tables' indexes are dropped and built again after the load, as pg_dump's output
    /// does (one sort is cheaper than an index entry a row at a time), and so are their primary keys and
    /// unique constraints when the run is one transaction; with -Parallel the keys stay, a guard against a
    /// range loaded twice. <paramref name="deferred"/> gets the statements that build them again. SQL Server's
    /// steps are <see cref="SqlServerPageLoader.BeforeLoad"/>'s.</summary>
    public static async Task StartAsync(StructureCopyPlan plan, DbConnection t, bool transactional, IReadOnlySet<TableName> resumed,
        List<string> deferred, ISyncObserver observer, CancellationToken ct)
    {
        var dialect = plan.Target.Dialect!;
        var pg = plan.Target.Provider == ProviderKind.PostgreSql;
        if (plan.Target.Provider == ProviderKind.SqlServer)
        {
            foreach (var statement in SqlServerPageLoader.BeforeLoad(plan, resumed, ExistingKeysTouching(plan))) await StructureCopier.ExecAsync(t, statement, ct).ConfigureAwait(false);
            return;
        }
        var names = plan.DataTables.Select(x => dialect.QuoteTable(x.TableName)).ToList();
        var emptied = plan.DataTables.Where(x => !resumed.Contains(x.TableName)).Select(x => dialect.QuoteTable(x.TableName)).ToList();
        if (pg)
        {
            foreach (var (table, fk) in ExistingKeysTouching(plan))
                await StructureCopier.ExecAsync(t, $"ALTER TABLE {dialect.QuoteTable(table.TableName)} DROP CONSTRAINT {dialect.QuoteIdentifier(fk.Name)}", ct).ConfigureAwait(false);
            if (emptied.Count > 0) await StructureCopier.ExecAsync(t, "TRUNCATE " + string.Join(", ", emptied), ct).ConfigureAwait(false);
            foreach (var table in plan.DataTables.Where(x => !resumed.Contains(x.TableName)))
            {
                var name = dialect.QuoteTable(table.TableName);
                // Every foreign key to or from the table is dropped above, so nothing depends on its keys now.
                var keys = transactional ? table.UniqueConstraints.Prepend(table.PrimaryKey).Where(k => k?.Definition is not null).ToList() : [];
                foreach (var key in keys)
                {
                    await StructureCopier.ExecAsync(t, $"ALTER TABLE {name} DROP CONSTRAINT {dialect.QuoteIdentifier(key!.Name)}", ct).ConfigureAwait(false);
                    deferred.Add($"ALTER TABLE {name} ADD CONSTRAINT {dialect.QuoteIdentifier(key.Name)} {key.Definition}");
                }
                foreach (var index in table.Indexes.Where(i => i.Definition is not null))
                {
                    await StructureCopier.ExecAsync(t, $"DROP INDEX {dialect.QuoteTable(new TableName(table.Schema, index.Name))}", ct).ConfigureAwait(false);
                    deferred.Add(index.Definition!);
                }
            }
            foreach (var n in names) await StructureCopier.ExecAsync(t, $"ALTER TABLE {n} DISABLE TRIGGER USER", ct).ConfigureAwait(false);
        }
        else
        {
            await StructureCopier.ExecAsync(t, "SET FOREIGN_KEY_CHECKS = 0", ct).ConfigureAwait(false);
            foreach (var n in emptied) await StructureCopier.ExecAsync(t, "TRUNCATE TABLE " + n, ct).ConfigureAwait(false);
            if (plan.TargetCatalog.Triggers.Any(g => plan.DataTables.Any(d => d.Name == g.Table)))
                observer.Warning("MySQL/MariaDB cannot switch triggers off: the triggers on the data tables fire for the copied rows.");
        }
    }

    public static async Task FinishAsync(StructureCopyPlan plan, DbConnection t, List<string> deferred, ISyncObserver observer, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var dialect = plan.Target.Dialect!;
        var pg = plan.Target.Provider == ProviderKind.PostgreSql;
        if (plan.Target.Provider == ProviderKind.SqlServer)
        {
            foreach (var statement in SqlServerPageLoader.AfterLoad(plan, ExistingKeysTouching(plan))) await StructureCopier.ExecAsync(t, statement, ct).ConfigureAwait(false);
            return;
        }
        if (pg)
        {
            foreach (var statement in deferred) await StructureCopier.ExecAsync(t, statement, ct).ConfigureAwait(false);
            deferred.Clear();
            foreach (var table in plan.DataTables)
            {
                var n = dialect.QuoteTable(table.TableName);
                await StructureCopier.ExecAsync(t, $"ALTER TABLE {n} ENABLE TRIGGER USER", ct).ConfigureAwait(false);
                foreach (var c in table.Columns)
                {
                    // Sequences behind identity and serial columns continue after the copied keys.
                    var sequence = c.Default is not null && NextVal().Match(c.Default) is { Success: true } m ? PostgreSqlDdlScripter.UnquoteLiteral(m.Groups[1].Value)
                        : c.Identity is not null ? null : "";
                    if (sequence == "") continue;
                    var seqExpr = sequence is null
                        ? $"pg_get_serial_sequence({Literal(n)}, {Literal(c.Name)})"
                        : Literal(sequence);
                    await StructureCopier.ExecAsync(t, $"SELECT setval({seqExpr}, m) FROM (SELECT max({dialect.QuoteIdentifier(c.Name)}) AS m FROM {n}) x WHERE m IS NOT NULL", ct).ConfigureAwait(false);
                }
            }
            // Added back, which validates every row against the key.
            foreach (var (table, fk) in ExistingKeysTouching(plan))
                await StructureCopier.ExecAsync(t, $"ALTER TABLE {dialect.QuoteTable(table.TableName)} ADD CONSTRAINT {dialect.QuoteIdentifier(fk.Name)} {fk.Definition}", ct).ConfigureAwait(false);
        }
        else
        {
            await StructureCopier.ExecAsync(t, "SET FOREIGN_KEY_CHECKS = 1", ct).ConfigureAwait(false);
            // The flag skipped the checks for the load; look for rows they would have refused.
            foreach (var (table, fk) in ExistingKeysTouching(plan))
            {
                var child = dialect.QuoteTable(table.TableName);
                var parent = dialect.QuoteTable(fk.ReferencedTable);
                var on = string.Join(" AND ", fk.Columns.Select((c, i) => $"p.{dialect.QuoteIdentifier(fk.ReferencedColumns[i])} = c.{dialect.QuoteIdentifier(c)}"));
                var notNull = string.Join(" AND ", fk.Columns.Select(c => $"c.{dialect.QuoteIdentifier(c)} IS NOT NULL"));
                var orphans = Convert.ToInt64(await StructureCopier.ScalarAsync(t,
                    $"SELECT COUNT(*) FROM {child} c WHERE {notNull} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {on})", ct).ConfigureAwait(false));
                if (orphans > 0)
                    throw new SyncException(SyncErrorKind.ValidationFailed,
                        $"After the load, {orphans:N0} rows of {table.TableName} break foreign key {fk.Name} (to {fk.ReferencedTable}): a table they need was not copied; add it to -IncludeData.");
            }
        }
        observer.Verbose($"After the load, {(pg ? "indexes, keys, triggers and sequences restored" : "foreign keys checked")} in {StructureCopier.Took(started)}.");
        string Literal(string v) => "'" + v.Replace("'", "''") + "'";
    }

    /// <summary>Foreign keys the target already has (not added by this plan) from or to a data table.</summary>
    private static IEnumerable<(DbTable Table, DbForeignKey Key)> ExistingKeysTouching(StructureCopyPlan plan)
    {
        var data = plan.DataTables.Select(d => d.TableName).ToHashSet();
        foreach (var table in plan.TargetCatalog.Tables)
            foreach (var fk in table.ForeignKeys)
            {
                var referenced = new TableName(fk.ReferencedTable.Schema ?? table.Schema, fk.ReferencedTable.Name);
                if (!data.Contains(table.TableName) && !data.Contains(referenced)) continue;
                var removed = plan.Applied.Any(d => d.ObjectKind == SchemaObjectKind.ForeignKey && d.Change != SchemaChange.Added
                    && d.Name == table.TableName + "." + fk.Name);
                if (!removed) yield return (table, fk);
            }
    }

    [GeneratedRegex(@"^nextval\('((?:[^']|'')+)'::regclass\)$")]
    private static partial Regex NextVal();
}
