using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>Copy-DbStructure's engine: plans (reads only), then runs the plan — structure before the data
/// load, foreign keys, routines, views and triggers after it — and validates by comparing again and by
/// row counts and checksums. On PostgreSQL and SQL Server the whole run is one transaction,
/// so a failure leaves the target as it was; on MySQL/MariaDB (whose DDL commits at once), and on PostgreSQL
/// with -Parallel (whose key ranges commit as they go, so a killed copy can resume), the safety backup restores it.
/// SQL Server with -Parallel has none (it takes -NoBackup): a killed copy resumes instead.</summary>
public static partial class StructureCopier
{
    /// <param name="observer">Told (in -Verbose) how long each catalog read and the comparison took.</param>
    public static async Task<StructureCopyPlan> PlanAsync(SyncSource source, SyncSource target, StructureCopyOptions options, CancellationToken ct,
        ISyncObserver? observer = null)
    {
        if (Family(source.Provider) != Family(target.Provider))
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"Copy-DbStructure copies between two databases of one engine; the source is {source.Provider} and the target {target.Provider}.");
        if (source.Provider == ProviderKind.SqlServer && options.IncludeData.Count > 0 && options.Parallel > 0 && !options.NoBackup)
            throw new SyncException(SyncErrorKind.InvalidArgument,
                "With -Parallel a SQL Server copy commits its key ranges as they go, and Copy-DbStructure takes no safety backup of a SQL Server " +
                "target (BACKUP DATABASE needs a folder on the server): add -NoBackup to accept that a failure is not undone (a rerun resumes), " +
                "or run without -Parallel, in one transaction.");
        // Both servers at once, each reading its own catalog; a failure is thrown below, the source's first.
        var sourceSide = ReadSideAsync(source, "source", options.Schemas, observer, ct);
        var targetSide = ReadSideAsync(target, "target", options.Schemas, observer, ct);
        try { await Task.WhenAll(sourceSide, targetSide).ConfigureAwait(false); }
        catch (Exception) when (sourceSide.IsCompleted && targetSide.IsCompleted) { }
        var (sourceId, sourceCatalog) = await sourceSide.ConfigureAwait(false);
        var (targetId, targetCatalog) = await targetSide.ConfigureAwait(false);
        if (sourceId == targetId)
            throw new SyncException(SyncErrorKind.SameDatabase,
                $"The source ({source.Provider} {source.Location}) and the target ({target.Provider} {target.Location}) are the same database; nothing was changed.",
                target: target.Name);

        var compared = Stopwatch.GetTimestamp();
        var differences = SchemaComparer.Compare(sourceCatalog, targetCatalog, options.Filter, source.Name, target.Name);

        var applied = new List<SchemaDifference>();
        var skipped = new List<(SchemaDifference Difference, string Reason)>();
        foreach (var d in differences)
        {
            if (d.Change == SchemaChange.Removed && !options.RemoveExtra && d.ObjectKind is not (SchemaObjectKind.Index or SchemaObjectKind.ForeignKey
                    or SchemaObjectKind.CheckConstraint or SchemaObjectKind.UniqueConstraint or SchemaObjectKind.PrimaryKey))
                skipped.Add((d, "only the target has it; -RemoveExtra drops it"));
            else if (d.Change == SchemaChange.Changed && d.LosesData && !options.AllowRecreate)
                skipped.Add((d, "changing it rebuilds the column and loses its data; -AllowRecreate allows it"));
            else applied.Add(d);
        }

        var dataFilter = new SchemaFilter(options.IncludeData);
        var dataTables = options.IncludeData.Count == 0 ? [] : ForeignKeyOrder.Sort(
            sourceCatalog.Tables.Where(x => options.Filter.Includes(x.TableName) && dataFilter.Includes(x.TableName)).ToList()).Order;
        foreach (var pattern in options.IncludeData.Where(p => !ContainsWildcard(p)))
            if (!sourceCatalog.Tables.Any(x => new SchemaFilter([pattern]).Includes(x.TableName)))
                throw new SyncException(SyncErrorKind.TableNotFound, $"-IncludeData names '{pattern}', which is not a table of the source {source.Location}.", target: pattern);

        var statements = SchemaComparer.Order(applied, sourceCatalog, targetCatalog);
        var steps = new List<(CopyPlanStep, DdlStatement?, DbTable?)>();
        var origin = applied.SelectMany(d => d.Statements.Select(x => (x, d))).GroupBy(x => x.x).ToDictionary(g => g.Key, g => g.First().d);
        void AddStatement(DdlStatement x) => steps.Add((new CopyPlanStep
        {
            Step = steps.Count + 1, Action = CopyAction.Execute, Sql = x.Sql,
            ObjectKind = origin[x].ObjectKind, Name = origin[x].Name, Change = origin[x].Change,
        }, x, null));
        foreach (var x in statements.Where(x => x.Phase < DdlPhase.AddForeignKeys)) AddStatement(x);
        foreach (var table in dataTables)
            steps.Add((new CopyPlanStep
            {
                Step = steps.Count + 1, Action = CopyAction.LoadData, ObjectKind = SchemaObjectKind.Table, Name = table.TableName.ToString(),
                Note = "replace the target's rows with the source's",
            }, null, table));
        foreach (var x in statements.Where(x => x.Phase >= DdlPhase.AddForeignKeys)) AddStatement(x);
        foreach (var (d, reason) in skipped)
            steps.Add((new CopyPlanStep { Step = steps.Count + 1, Action = CopyAction.Skip, ObjectKind = d.ObjectKind, Name = d.Name, Change = d.Change, Note = reason }, null, null));

        observer?.Verbose($"Compared and planned in {Took(compared)}: {applied.Count} difference(s) to apply, {dataTables.Count} data table(s).");
        return new StructureCopyPlan
        {
            Source = source, Target = target, SourceCatalog = sourceCatalog, TargetCatalog = targetCatalog,
            Applied = applied, Skipped = skipped.Select(x => x.Difference).ToList(), DataTables = dataTables, Steps = steps,
            SameServer = ServerOf(sourceId) == ServerOf(targetId),
        };
    }

    /// <summary>A database's identity (who the server says it is) and its catalog.</summary>
    private static async Task<(string Identity, DbCatalog Catalog)> ReadSideAsync(SyncSource db, string side, IReadOnlyList<string>? schemas,
        ISyncObserver? observer, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var c = await SourceConnector.OpenAsync(db, ct).ConfigureAwait(false);
        var identity = await DatabaseIdentity.ReadAsync(db.Provider, c, ct).ConfigureAwait(false);
        var catalog = await CatalogReading.ReadAsync(db.Provider, c, schemas, ct).ConfigureAwait(false);
        observer?.Verbose($"The {side}'s catalog ({catalog.Tables.Count} table(s)) read in {Took(started)}.");
        return (identity, catalog);
    }

    /// <summary>The server part of a <see cref="DatabaseIdentity"/> (before the database's name).</summary>
    private static string ServerOf(string identity) => identity.IndexOf('#') is var i and >= 0 ? identity[..i] : identity;

    /// <summary>Seconds since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>), as the
    /// -Verbose phase timings say them: an admin sees where a slow run spent its time.</summary>
    internal static string Took(long started) => $"{Stopwatch.GetElapsedTime(started).TotalSeconds:N2} s";

    public static async Task<StructureCopyResult> ExecuteAsync(StructureCopyPlan plan, StructureCopyOptions options, ISyncObserver observer,
        CopyProgress progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var source = plan.Source;
        var target = plan.Target;
        var dialect = target.Dialect!;
        var pg = target.Provider == ProviderKind.PostgreSql;
        var sqlServer = target.Provider == ProviderKind.SqlServer;
        var ranged = options.Parallel > 0;
        // PostgreSQL runs the whole copy in one transaction, except with -Parallel, whose ranges commit as they go;
        // SQL Server's DDL is transactional too.
        var transactional = (pg || sqlServer) && !ranged;
        string? backup = null;
        if (!transactional && !options.NoBackup)
        {
            if (options.SafetyNet is { } net)
            {
                progress.Activity = "Backing up the target";
                var started = Stopwatch.GetTimestamp();
                backup = await net.BackupAsync(target, ct).ConfigureAwait(false);
                observer.Information($"Safety backup of {target.Location} taken in {Took(started)}: {backup}");
            }
            else observer.Warning($"No safety backup of {target.Location} was taken (no safety net was given): a failure cannot be undone. -NoBackup silences this.");
        }

        var opened = Stopwatch.GetTimestamp();
        using var checkpoints = ranged ? new CopyCheckpoints(options.StatePath) : null;
        // One snapshot of the source for every table (and, on PostgreSQL, every worker), so the data copied is
        // consistent across foreign keys; opened while the target's connection opens (after the backup: a
        // production snapshot is not held open for the length of a sandbox's dump).
        var readerOpening = SnapshotReader.OpenAsync(source, null, ct);
        var targetOpening = SourceConnector.OpenAsync(target, ct);
        try { await Task.WhenAll(readerOpening, targetOpening).ConfigureAwait(false); }
        catch
        {
            // Both have finished; the source's failure is the one thrown when both failed.
            if (readerOpening.IsCompletedSuccessfully) await readerOpening.Result.DisposeAsync().ConfigureAwait(false);
            if (targetOpening.IsCompletedSuccessfully) await targetOpening.Result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        await using var reader = readerOpening.Result;
        var s = reader.Connection;
        if (!reader.Consistent && plan.DataTables.Count > 0)
            observer.Warning($"{source.Location} does not allow snapshot isolation (ALLOW_SNAPSHOT_ISOLATION is off): its rows are read committed, " +
                             "table by table, so rows changed during the copy may not agree across foreign keys; the validation reports a table that changed.");
        await using var t = targetOpening.Result;
        DbTransaction? transaction = null;
        var tables = new List<TableCopyResult>();
        var outcomes = new Dictionary<string, TableCopyOutcome>();
        var deferred = new List<string>();
        try
        {
            var snapshot = pg ? (string?)await ScalarAsync(s, "SELECT pg_export_snapshot()", ct).ConfigureAwait(false) : null;
            observer.Verbose($"Source snapshot and target connection opened in {Took(opened)}.");
            if (transactional)
                transaction = sqlServer
                    ? await SqlServerTransaction.BeginAsync(t, ct).ConfigureAwait(false)
                    : await t.BeginTransactionAsync(ct).ConfigureAwait(false);
            // Tables an earlier, killed run left half copied keep their rows: their done ranges are skipped.
            var resumed = checkpoints is null ? [] : plan.DataTables.Where(x => checkpoints.HasDoneRanges(CopyCheckpoints.KeyOf(source, target, x)))
                .Select(x => x.TableName).ToHashSet();
            var rangedCopy = checkpoints is null ? null : new RangedTableCopy(source, target, checkpoints, options.Parallel, options.PageSize,
                options.RowsPerRange ?? 20L * options.PageSize, snapshot, observer, progress, options.AfterRange);

            var loadStarted = false;
            foreach (var (step, statement, table) in plan.Steps)
            {
                ct.ThrowIfCancellationRequested();
                if (step.Action == CopyAction.Execute)
                {
                    if (loadStarted) { await DataLoadBracket.FinishAsync(plan, t, deferred, observer, ct).ConfigureAwait(false); loadStarted = false; }
                    var started = Stopwatch.GetTimestamp();
                    progress.Activity = $"Step {step.Step} of {plan.Steps.Count}: {step.ObjectKind} {step.Name}";
                    observer.Verbose(statement!.Sql);
                    await ExecAsync(t, statement.Sql, ct).ConfigureAwait(false);
                    observer.Information($"Step {step.Step} of {plan.Steps.Count} done: {step.Change} {step.ObjectKind} {step.Name}.");
                    observer.Verbose($"Step {step.Step} took {Took(started)}.");
                }
                else if (step.Action == CopyAction.LoadData)
                {
                    if (!loadStarted) { await DataLoadBracket.StartAsync(plan, t, transactional, resumed, deferred, observer, ct).ConfigureAwait(false); loadStarted = true; }
                    progress.Activity = "Copying rows";
                    progress.StartTable(step.Name, plan.DataTables.ToList().IndexOf(table!) + 1, plan.DataTables.Count);
                    var outcome = rangedCopy is not null
                        ? await rangedCopy.RunAsync(s, table!, ct).ConfigureAwait(false)
                        : await CopyWholeTableAsync(table!, s, t, transaction, source, target, snapshot,
                            checkDuringLoad: !plan.SameServer || options.ChecksumDuringLoad, options.PageSize, observer, progress, ct).ConfigureAwait(false);
                    outcomes[step.Name] = outcome;
                    var (rows, ranges, resumedRanges) = (outcome.Rows, outcome.Ranges.Count, outcome.Resumed);
                    var seconds = progress.TableClock.Elapsed.TotalSeconds;
                    observer.Information($"{step.Name}: {rows:N0} rows copied in {seconds:N1} s ({(seconds > 0 ? rows / seconds : 0):N0} rows/s)" +
                                         (ranged ? $", {ranges} key range(s){(resumedRanges > 0 ? $" ({resumedRanges} done by an earlier run)" : "")}." : "."));
                    tables.Add(new TableCopyResult
                    {
                        Table = step.Name, RowsCopied = rows, Duration = progress.TableClock.Elapsed, Ranges = ranges, RangesResumed = resumedRanges,
                    });
                }
                options.AfterStep?.Invoke(step);
            }
            if (loadStarted) await DataLoadBracket.FinishAsync(plan, t, deferred, observer, ct).ConfigureAwait(false);

            progress.Activity = "Validating";
            var validating = Stopwatch.GetTimestamp();
            var after = await CatalogReading.ReadAsync(target.Provider, t, options.Schemas, ct).ConfigureAwait(false);
            observer.Verbose($"The target's catalog read again in {Took(validating)}.");
            var checking = Stopwatch.GetTimestamp();
            var remaining = SchemaComparer.Compare(plan.SourceCatalog, after, options.Filter, source.Name, target.Name);
            var expected = plan.Skipped.Select(d => (d.ObjectKind, d.Name, d.Change)).ToHashSet();
            var unexpected = remaining.Where(d => !expected.Contains((d.ObjectKind, d.Name, d.Change))).ToList();
            var problems = unexpected.Select(d => $"{d.Change} {d.ObjectKind} {d.Name} still differs").ToList();
            for (var i = 0; i < tables.Count; i++)
            {
                var table = plan.DataTables.First(x => x.TableName.ToString() == tables[i].Table);
                var validated = await ValidateTableAsync(tables[i], table, outcomes[tables[i].Table], s, t, source.Dialect!, dialect, ct)
                    .ConfigureAwait(false);
                tables[i] = validated.Result;
                if (validated.Problem is { } problem)
                {
                    problems.Add(problem);
                    // Its ranges are stale (the source changed between a killed run and this one): the next run copies it whole.
                    checkpoints?.Forget(CopyCheckpoints.KeyOf(source, target, table));
                }
            }
            if (tables.Count > 0) observer.Verbose($"Row counts and checksums of {tables.Count} data table(s) compared in {Took(checking)}.");
            if (problems.Count > 0)
                throw new SyncException(SyncErrorKind.ValidationFailed, "The copy did not validate: " + string.Join("; ", problems.Take(5)) + ".", target: target.Name);

            if (transaction is not null) await transaction.CommitAsync(ct).ConfigureAwait(false);
            foreach (var table in plan.DataTables) checkpoints?.Forget(CopyCheckpoints.KeyOf(source, target, table));
            observer.Verbose($"Validation took {Took(validating)}.");
            observer.Information($"Validated: the structure matches{(tables.Count > 0 ? $" and {tables.Count} data table(s) have the source's row counts and checksums" : "")}.");
            if (backup is not null && options.SafetyNet is { } safety && !options.KeepBackup)
            {
                await safety.DiscardAsync(backup, CancellationToken.None).ConfigureAwait(false);
                observer.Verbose($"The safety backup {backup} was deleted: the run validated (-KeepBackup keeps it).");
            }
            return new StructureCopyResult
            {
                Source = source.Name, Target = target.Name, Plan = plan.PlanSteps,
                TablesCreated = plan.Applied.Count(d => d is { ObjectKind: SchemaObjectKind.Table, Change: SchemaChange.Added }),
                TablesDropped = plan.Applied.Count(d => d is { ObjectKind: SchemaObjectKind.Table, Change: SchemaChange.Removed }),
                TablesAltered = plan.Applied.Where(d => d.Table is not null && !(d.ObjectKind == SchemaObjectKind.Table && d.Change != SchemaChange.Changed))
                    .Select(d => d.Table).Distinct().Count(x => !plan.Applied.Any(a => a.ObjectKind == SchemaObjectKind.Table && a.Change == SchemaChange.Added && a.Name == x)),
                RowsCopied = tables.Sum(x => x.RowsCopied),
                Tables = tables,
                Validated = true,
                RemainingDifferences = remaining,
                BackupUsed = backup,
                Duration = clock.Elapsed,
            };
        }
        catch (Exception ex)
        {
            var what = ex is SyncException se ? se.Message : $"{ex.GetType().Name}: {ex.Message}";
            var kind = ex is SyncException k ? k.Kind : ex is OperationCanceledException ? SyncErrorKind.Cancelled : target.Dialect!.Classify(ex) ?? SyncErrorKind.QueryFailed;
            string outcome;
            if (transaction is not null)
            {
                try { await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false); outcome = "nothing was changed on the target (its transaction was rolled back)"; }
                catch (Exception rollback) { outcome = "rolling the target's transaction back failed too: " + rollback.Message; }
            }
            else if (backup is not null && options.SafetyNet is { } net && !options.NoRollback)
            {
                progress.Activity = "Restoring the target";
                try
                {
                    await net.RestoreAsync(target, backup, CancellationToken.None).ConfigureAwait(false);
                    checkpoints?.ReopenRun();
                    outcome = $"the target was restored from the safety backup {backup}";
                }
                catch (Exception restore) { outcome = $"restoring the target from {backup} failed too ({restore.Message}): restore it by hand"; }
            }
            else outcome = (backup is null ? "the target was NOT restored (no safety backup was taken)" : $"the target was NOT restored (-NoRollback); the safety backup is {backup}")
                           + (checkpoints is not null ? "; a rerun resumes from the key ranges already copied" : "");
            if (ex is OperationCanceledException && ct.IsCancellationRequested) throw;
            throw new SyncException(kind, $"Copy-DbStructure failed: {what.TrimEnd('.')}; {outcome}.", ex, target.Name);
        }
    }

    /// <summary>A table copied in one go, without checkpoints: through the run's transaction on PostgreSQL and
    /// SQL Server, through a loader connection of its own on MySQL/MariaDB. With <paramref name="checkDuringLoad"/> the
    /// source's checksum is read meanwhile on a connection of its own, and the target's right after the load,
    /// so validating costs the load little. PostgreSQL reads it in the run's snapshot. MySQL cannot share a
    /// snapshot, so the checker takes its own as the table's copy starts: from a quiet source it sees the rows
    /// the copy reads; when its figures differ from the target's, the source is read again in the run's
    /// snapshot, which decides. Databases of one server are not checked during the load: the scan competes
    /// with the load for the server's CPU and disks (measured at 200,000 rows on a 2-core server, both
    /// engines: the load took 0.8-1.1 s longer, more than both checksums read side by side after it), so such
    /// a run reads both checksums when it validates.</summary>
    private static async Task<TableCopyOutcome> CopyWholeTableAsync(DbTable table, DbConnection s, DbConnection t, DbTransaction? transaction, SyncSource source,
        SyncSource target, string? snapshot, bool checkDuringLoad, int pageSize, ISyncObserver observer, CopyProgress progress, CancellationToken ct)
    {
        var copier = new TableDataCopier(target.Dialect!, table, pageSize, observer);
        await using PageLoader loader = target.Provider == ProviderKind.SqlServer
            ? SqlServerPageLoader.InTransaction(t, copier.Table, copier.Columns)
            : transaction is not null
            ? PostgreSqlPageLoader.InTransaction(t, transaction, target.Dialect!, copier.Table, copier.Columns)
            : target.Provider == ProviderKind.PostgreSql
                ? await PostgreSqlPageLoader.OpenAsync(target, copier.Table, copier.Columns, ct).ConfigureAwait(false)
                : await MySqlPageLoader.OpenAsync(target, copier.Table, copier.Columns, ct).ConfigureAwait(false);
        if (!checkDuringLoad)
            return new TableCopyOutcome(await copier.CopyAsync(s, loader, KeyRange.Whole, progress.AddRows, ct).ConfigureAwait(false), [KeyRange.Whole], 0,
                new Dictionary<int, RangeCheck>());
        await using var checker = await SnapshotReader.OpenAsync(source, snapshot, ct).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sourceCheck = TableChecksum.ReadAsync(source.Dialect!, checker.Connection, table, KeyRange.Whole, stop.Token);
        try
        {
            var rows = await copier.CopyAsync(s, loader, KeyRange.Whole, progress.AddRows, ct).ConfigureAwait(false);
            var checking = Stopwatch.GetTimestamp();
            var (targetRows, targetSum) = await TableChecksum.ReadAsync(target.Dialect!, t, table, KeyRange.Whole, ct).ConfigureAwait(false);
            var targetTook = Took(checking);
            var sourceWasReady = sourceCheck.IsCompleted;
            var (sourceRows, sourceSum) = await sourceCheck.ConfigureAwait(false);
            observer.Verbose($"{table}: the target's checksum read in {targetTook} after the load; the source's, read during the load, " +
                             (sourceWasReady ? "was ready." : $"was ready {Took(checking)} after the load."));
            if (snapshot is null && (sourceRows, sourceSum) != (targetRows, targetSum))
            {
                observer.Verbose($"{table}: the checksums differ; the source's is read again in the run's snapshot (the checker's own may have seen rows written since), which decides.");
                (sourceRows, sourceSum) = await TableChecksum.ReadAsync(source.Dialect!, s, table, KeyRange.Whole, ct).ConfigureAwait(false);
            }
            return new TableCopyOutcome(rows, [KeyRange.Whole], 0, new Dictionary<int, RangeCheck> { [0] = new(sourceRows, sourceSum, targetRows, targetSum) });
        }
        finally
        {
            // A failed copy must not leave the checksum running on a connection about to close.
            await stop.CancelAsync().ConfigureAwait(false);
            try { await sourceCheck.ConfigureAwait(false); } catch (Exception e) when (e is OperationCanceledException or DbException) { }
        }
    }

    /// <summary>Row counts and checksums of a copied table on both servers, range by range (so a mismatch
    /// names the range); the table's figures are the ranges' sums. Ranges a -Parallel worker checked as it
    /// finished them are not read again.</summary>
    private static async Task<(TableCopyResult Result, string? Problem)> ValidateTableAsync(TableCopyResult copied, DbTable table, TableCopyOutcome ranged,
        DbConnection s, DbConnection t, SqlDialect sourceDialect, SqlDialect targetDialect, CancellationToken ct)
    {
        long sourceRows = 0, targetRows = 0;
        System.Numerics.BigInteger sourceSum = 0, targetSum = 0;
        var wrong = new List<string>();
        foreach (var range in ranged.Ranges)
        {
            var check = ranged.Checks.GetValueOrDefault(range.Index)
                        ?? await RangeCheck.ReadAsync(table, range, sourceDialect, s, targetDialect, t, ct).ConfigureAwait(false);
            (sourceRows, targetRows) = (sourceRows + check.SourceRows, targetRows + check.TargetRows);
            sourceSum += System.Numerics.BigInteger.Parse(check.SourceChecksum, CultureInfo.InvariantCulture);
            targetSum += System.Numerics.BigInteger.Parse(check.TargetChecksum, CultureInfo.InvariantCulture);
            if (!check.Matches) wrong.Add(range.IsWhole ? "" : $" {range}: {check.SourceRows:N0}/{check.TargetRows:N0} rows");
        }
        var result = new TableCopyResult
        {
            Table = copied.Table, RowsCopied = copied.RowsCopied, Duration = copied.Duration, Ranges = copied.Ranges, RangesResumed = copied.RangesResumed,
            SourceRows = sourceRows, TargetRows = targetRows,
            SourceChecksum = sourceSum.ToString(CultureInfo.InvariantCulture), TargetChecksum = targetSum.ToString(CultureInfo.InvariantCulture),
        };
        return (result, wrong.Count == 0 ? null
            : $"{copied.Table}: source {sourceRows:N0} rows (checksum {result.SourceChecksum}), target {targetRows:N0} (checksum {result.TargetChecksum})"
              + (wrong.Any(w => w.Length > 0) ? "; differing:" + string.Join(",", wrong.Take(3)) : ""));
    }

    internal static async Task ExecAsync(DbConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static async Task<object?> ScalarAsync(DbConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    private static bool ContainsWildcard(string p) => p.IndexOfAny(['*', '?', '[']) >= 0;

    private static ProviderKind Family(ProviderKind p) => p == ProviderKind.MariaDb ? ProviderKind.MySql : p;

}
