using System.Data.Common;
using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Export;

/// <summary>
/// Streams a table or query into batch files. A full export is one streaming query; an incremental one
/// walks keyset pages on (cursor, key...) from the stored watermark, never OFFSET, so ties at page and
/// batch edges are neither lost nor repeated.
/// </summary>
public static class SqlExporter
{
    public static Task<ExportSummary> RunAsync(ExportRequest request, ISyncObserver observer, ExportProgress progress, CancellationToken ct) =>
        // The read loop is synchronous (fastest per row) and gets a thread of its own. The steps before
        // it block on that thread rather than await: an await would move the read loop to whichever
        // thread-pool thread finished the I/O, and a pool kept busy that way spins on the other core.
        Task.Factory.StartNew(() => RunCore(request, observer, progress, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static ExportSummary RunCore(ExportRequest request, ISyncObserver observer, ExportProgress progress, CancellationToken ct)
    {
        var source = request.Source;
        if (source.Dialect is null)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"Source '{source.Name}' is a {source.Provider} source, not a database; -Table and -Query need a database.");
        progress.Activity = "Connecting";
        using var connection = SourceConnector.OpenAsync(source, ct).GetAwaiter().GetResult();
        SqlExportPlan plan;
        try { plan = SqlExportPlan.CreateAsync(request, connection, ct).GetAwaiter().GetResult(); }
        catch (DbException ex) { throw QueryError(ex, source, request.Table ?? request.Query!); }

        var options = new BatchOptions
        {
            OutputDirectory = request.OutputDirectory,
            Stream = plan.Stream,
            BatchSize = request.BatchSize,
            MaxBatchBytes = request.MaxBatchBytes,
            CompressionLevel = request.CompressionLevel,
        };
        var stream = new StreamRequest(new StreamKey(source.Identity, plan.KeyName ?? plan.Stream),
            source.EarlierIdentity is null ? null : new StreamKey(source.EarlierIdentity, plan.EarlierName ?? plan.Stream), request.Reset);
        using var run = BatchRun.Start(request.StatePath, source.Name, stream, options, observer, progress,
            tag => ((Watermark)tag).Serialize(), ct);
        progress.Activity = $"Exporting {plan.Stream}";

        try
        {
            var open = (request.DataReaderOnly ? null : plan.Dialect.FastRows(connection, plan, source.TimeZone, observer, ct))
                ?? (statement => new DataReaderRows(connection, plan, statement, source.TimeZone, observer, ct));
            if (plan.IsIncremental) ExportPages(plan, request, run, open, observer, ct);
            else ExportAll(plan, run, open);
        }
        catch (DbException ex)
        {
            if (ct.IsCancellationRequested) throw new OperationCanceledException("The export was stopped.", ex, ct);
            var error = QueryError(ex, source, plan.Stream);
            run.Fail(error.Message);
            throw error;
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The export was stopped.", ct);
        }
        catch (SyncException ex)
        {
            run.Fail(ex.Message);
            throw;
        }
        return run.CompleteAsync().GetAwaiter().GetResult();
    }

    private static void ExportAll(SqlExportPlan plan, BatchRun run, Func<ExportStatement, IExportRows> open)
    {
        using var rows = open(new ExportStatement(_ => plan.FullSelect, []));
        var pipeline = run.Pipeline;
        while (rows.Read())
        {
            rows.WriteRow(pipeline.Writer);
            pipeline.EndRow();
            run.ReportRows();
        }
    }

    private static void ExportPages(SqlExportPlan plan, ExportRequest request, BatchRun run, Func<ExportStatement, IExportRows> open, ISyncObserver observer, CancellationToken ct)
    {
        var watermark = run.Watermark is null ? null : Watermark.Parse(run.Watermark);
        var lookback = request.LookbackSeconds > 0 && watermark is not null ? LookbackWindow.Start(watermark.Cursor, TimeSpan.FromSeconds(request.LookbackSeconds), "-LookbackSeconds", observer.Warning) : null;
        observer.Verbose($"Keyset: ({string.Join(", ", plan.KeysetColumns)}); the first is the cursor.");
        observer.Verbose(watermark is null
            ? $"Stream '{plan.Stream}' has no watermark: exporting from the start."
            : $"Stream '{plan.Stream}' continues after ({watermark})" + (lookback is null ? "." : $", re-reading from {Watermark.Display(lookback)} (look-back {request.LookbackSeconds}s)."));

        var pageSize = Math.Max(1, request.PageSize);
        int[]? keyOrdinals = null;
        var pipeline = run.Pipeline;
        var firstPage = true;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var useLookback = firstPage && lookback is not null;
            var after = watermark is not null;
            var values = useLookback ? [lookback] : watermark?.Values.ToArray<object?>() ?? [];
            firstPage = false;

            using var rows = open(new ExportStatement(value => plan.PageSelect(after, useLookback, pageSize, value), values));
            keyOrdinals ??= plan.KeysetColumns.Select(rows.GetOrdinal).ToArray();
            var count = 0;
            object[]? last = null;
            while (rows.Read())
            {
                rows.WriteRow(pipeline.Writer);
                var key = new object[keyOrdinals.Length];
                for (var i = 0; i < key.Length; i++) key[i] = rows.GetValue(keyOrdinals[i]);
                if (key[0] is DBNull)
                    throw new SyncException(SyncErrorKind.QueryFailed,
                        $"Cursor column '{plan.KeysetColumns[0]}' is NULL in a row of '{plan.Stream}'; an incremental export needs a non-NULL cursor.", target: plan.Stream);
                last = key;
                pipeline.EndRow(key[0], new Watermark(key));
                count++;
                run.ReportRows();
            }
            if (count < pageSize || last is null) break;
            watermark = new Watermark(last);
        }
    }

    private static SyncException QueryError(DbException ex, SyncSource source, string what)
    {
        var kind = source.Dialect!.Classify(ex) ?? SyncErrorKind.QueryFailed;
        return new SyncException(kind == SyncErrorKind.HostUnreachable ? SyncErrorKind.HostUnreachable : kind is SyncErrorKind.TableNotFound or SyncErrorKind.ColumnNotFound ? kind : SyncErrorKind.QueryFailed,
            $"Exporting '{what}' from {source.Provider} {source.Location} failed: {ex.Message}", ex, what);
    }
}
