using System.Collections.Concurrent;
using System.Data.Common;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>One table copied as key ranges, <c>-Parallel</c> of them at a time (Copy-DbStructure
/// -Parallel). Each worker has its own source connection, reading in the run's snapshot (PostgreSQL
/// shares the run's exported snapshot; MySQL/MariaDB and SQL Server workers each start a snapshot of their own), and its
/// own target connection, where every page commits as it is loaded. A range is recorded done in the
/// state store once its last page is in. A run that finds a table's ranges from an earlier, killed run
/// skips those done, and clears each other range (deletes its keys in the target) before redoing it: a
/// range is never half there and never twice.</summary>
internal sealed class RangedTableCopy(
    SyncSource source, SyncSource target, CopyCheckpoints checkpoints, int workers, int pageSize, long rowsPerRange,
    string? snapshot, ISyncObserver observer, CopyProgress progress, Action<string, KeyRange>? afterRange)
{
    /// <summary>Copies <paramref name="table"/>; <paramref name="mainSource"/> (in the run's snapshot) plans the ranges.</summary>
    public async Task<TableCopyOutcome> RunAsync(DbConnection mainSource, DbTable table, CancellationToken ct)
    {
        var key = CopyCheckpoints.KeyOf(source, target, table);
        var stored = checkpoints.Stored(key);
        var done = stored.Where(r => r.Rows is not null).Select(r => r.Range.Index).ToHashSet();
        var resume = done.Count > 0;
        IReadOnlyList<KeyRange> ranges;
        if (resume)
        {
            ranges = stored.Select(r => r.Range).ToList();
            observer.Information($"{table}: resuming — {done.Count} of {ranges.Count} key ranges were copied by an earlier run; " +
                                 "the others are cleared and copied again.");
        }
        else
        {
            ranges = await KeyRangePlanner.PlanAsync(source.Dialect!, mainSource, table, workers, rowsPerRange, ct).ConfigureAwait(false);
            checkpoints.Plan(key, ranges);
            observer.Verbose($"{table}: {ranges.Count} key range(s), {Math.Min(workers, ranges.Count)} at a time; checkpoints in {checkpoints.StatePath}.");
        }
        var pending = new ConcurrentQueue<KeyRange>(ranges.Where(r => !done.Contains(r.Index)));
        var copier = new TableDataCopier(source.Dialect!, table, pageSize, observer);
        long rows = 0;
        var checks = new ConcurrentDictionary<int, RangeCheck>();
        Exception? firstFailure = null;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = Enumerable.Range(0, Math.Min(workers, pending.Count)).Select(_ => Task.Run(async () =>
        {
            try
            {
                await using var reader = await SnapshotReader.OpenAsync(source, snapshot, failed.Token).ConfigureAwait(false);
                var read = reader.Connection;
                await using var load = await OpenLoaderAsync(copier, failed.Token).ConfigureAwait(false);
                while (pending.TryDequeue(out var range))
                {
                    if (resume) await copier.ClearAsync(load, range, failed.Token).ConfigureAwait(false);
                    var copied = await copier.CopyAsync(read, load, range, n => progress.AddRows(n), failed.Token).ConfigureAwait(false);
                    checkpoints.Complete(key, range, copied);
                    Interlocked.Add(ref rows, copied);
                    // Validated now, while the other workers load: the rows are committed and nothing changes them after.
                    checks[range.Index] = await RangeCheck.ReadAsync(table, range, source.Dialect!, read, target.Dialect!, load.Connection, failed.Token)
                        .ConfigureAwait(false);
                    observer.Verbose($"{table}: {range} done, {copied:N0} rows.");
                    afterRange?.Invoke(table.TableName.ToString(), range);
                }
            }
            catch (Exception e)
            {
                // One worker's failure stops the others; the first failure is the one reported, not the stops it caused.
                if (!failed.IsCancellationRequested) Interlocked.CompareExchange(ref firstFailure, e, null);
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested && firstFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(firstFailure);
            throw; // not reached
        }
        return new TableCopyOutcome(rows, ranges, done.Count, checks);
    }

    private async Task<PageLoader> OpenLoaderAsync(TableDataCopier copier, CancellationToken ct) => target.Provider switch
    {
        ProviderKind.PostgreSql => await PostgreSqlPageLoader.OpenAsync(target, copier.Table, copier.Columns, ct).ConfigureAwait(false),
        ProviderKind.SqlServer => await SqlServerPageLoader.OpenAsync(target, copier.Table, copier.Columns, ct).ConfigureAwait(false),
        _ => await MySqlPageLoader.OpenAsync(target, copier.Table, copier.Columns, ct).ConfigureAwait(false),
    };
}
