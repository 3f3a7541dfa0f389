using System.Buffers;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Logging;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// One entity's sync to Plusoft under DESIGN contract 2, as Export-SyncBatch keeps its streams: the
/// stream's lock and run record in the state store, keyset pages from the watermark, and each batch
/// committed (its record and the new watermark, in one transaction) only once the API has answered it.
/// A batch delivered is recorded Confirmed; one the API refused (4xx with a message), or whose rows
/// could not be mapped, is recorded Rejected with its key range and the sync goes on past it, so
/// -Pending can read that range again and send it. A crash leaves the watermark at the last batch
/// answered: the rerun reads the next batch again, and sends it with the same Idempotency-Key
/// (SHA-256 of the JSON and the batch's sequence), so an API that had stored it stores nothing twice.
/// Reading the next batch (a thread of its own) overlaps sending the last; at most three batches are in
/// memory, whatever the view's size. With a look-back (LookbackDays), the run starts that many days
/// before the watermark's cursor, as Export-SyncBatch -LookbackSeconds does (<see cref="LookbackWindow"/>):
/// a sale posted late for a date already synced goes with the next run, and the window's rows sent
/// before go again; Plusoft upserts each record by its key, and they are counted as LookbackRows.
/// </summary>
public sealed class PlusoftEntityRun : IDisposable
{
    private readonly PlusoftEntityPlan _plan;
    private readonly PlusoftSyncOptions _options;
    private readonly ISyncObserver _observer;
    private readonly Action<PlusoftBatchResult> _batchDone;
    private readonly PlusoftProgress _progress;
    private readonly CancellationToken _ct;
    private readonly StateStore _store;
    private readonly StreamLock _lock;
    private readonly StreamKey _key;
    private readonly string _name;
    private readonly long _runId;
    private readonly PlusoftRouteLog? _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _rows, _batches, _delivered, _rejected, _rejectedRows, _lookbackRows;
    private bool _ended;

    private PlusoftEntityRun(PlusoftEntityPlan plan, PlusoftSyncOptions options, ISyncObserver observer, Action<PlusoftBatchResult> batchDone,
        PlusoftProgress progress, StateStore store, StreamLock streamLock, StreamKey key, PlusoftRouteLog? log, CancellationToken ct)
    {
        _plan = plan;
        _options = options;
        _observer = observer;
        _batchDone = batchDone;
        _progress = progress;
        _store = store;
        _lock = streamLock;
        _key = key;
        _name = PlusoftStream.DisplayName(plan.Entity);
        _log = log;
        _ct = ct;
        _runId = store.StartRun(key);
    }

    private PlusoftEntity Entity => _plan.Entity;

    /// <summary>Sends the entity's rows after its watermark (every row, for an entity without cursor).</summary>
    public static Task<PlusoftSyncSummary> SyncAsync(PlusoftEntityPlan plan, PlusoftSyncOptions options, ISyncObserver observer,
        Action<PlusoftBatchResult> batchDone, PlusoftProgress progress, CancellationToken ct) =>
        RunAsync(plan, options, observer, batchDone, progress, ct, run => run.SendNewAsync());

    /// <summary>-Pending: reads each rejected batch's key range again and sends it.</summary>
    public static Task<PlusoftSyncSummary> RetryRejectedAsync(PlusoftEntityPlan plan, PlusoftSyncOptions options, ISyncObserver observer,
        Action<PlusoftBatchResult> batchDone, PlusoftProgress progress, CancellationToken ct) =>
        RunAsync(plan, options, observer, batchDone, progress, ct, run => run.SendRejectedAsync());

    private static async Task<PlusoftSyncSummary> RunAsync(PlusoftEntityPlan plan, PlusoftSyncOptions options, ISyncObserver observer,
        Action<PlusoftBatchResult> batchDone, PlusoftProgress progress, CancellationToken ct, Func<PlusoftEntityRun, Task> body)
    {
        options.Validate();
        using var run = Start(plan, options, observer, batchDone, progress, ct);
        try
        {
            await body(run).ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            run.End(RunStatus.Failed, ex.Message);
            throw;
        }
        return run.Complete();
    }

    private static PlusoftEntityRun Start(PlusoftEntityPlan plan, PlusoftSyncOptions options, ISyncObserver observer,
        Action<PlusoftBatchResult> batchDone, PlusoftProgress progress, CancellationToken ct)
    {
        var store = new StateStore(options.StatePath);
        StreamLock? streamLock = null;
        PlusoftRouteLog? log = null;
        try
        {
            var key = PlusoftStream.Key(options.Source, options.Client.ApiUrl, plan.Entity);
            streamLock = store.LockStream(key, PlusoftStream.DisplayName(plan.Entity));
            if (options.LogDirectory is { } folder)
            {
                log = PlusoftRouteLog.Open(folder, plan.Entity, options.Clock);
                observer.Verbose($"{plan.Entity.Name}: logging to {log.Path}.");
            }
            return new PlusoftEntityRun(plan, options, observer, batchDone, progress, store, streamLock, key, log, ct);
        }
        catch
        {
            log?.Dispose();
            streamLock?.Dispose();
            store.Dispose();
            throw;
        }
    }

    private async Task SendNewAsync()
    {
        var stored = _store.GetWatermark(_key);
        var start = stored is null ? null : Watermark.Parse(stored);
        var days = _plan.LookbackDays(_options.LookbackDays);
        var lookback = days > 0 && start is not null
            ? LookbackWindow.Start(start.Cursor, TimeSpan.FromDays(days), "LookbackDays", _observer.Warning)
            : null;
        var where = start is null ? "from the start" : $"after ({start})";
        if (lookback is not null) where += $", re-reading from {Watermark.Display(lookback)} (look-back {days} day(s))";
        Say(SyncLogLevel.Information, $"{Entity.Name}: '{_plan.Mapping.Source}' to POST {_options.Client.Endpoint(Entity)}, {_plan.Mode}, {where}, batches of {_options.BatchSize:N0}.");
        var sequence = _store.NextSequence(_key);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var ready = Channel.CreateBounded<PlusoftBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var free = new ConcurrentBag<ArrayBufferWriter<byte>>();
        var reader = Task.Factory.StartNew(() => Read(start, lookback, ready.Writer, free, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await foreach (var batch in ready.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var window = lookback is null ? 0 : batch.Keys.Count(k => LookbackWindow.Covers(start!.Cursor, k[0]));
                var result = await DeliverAsync(batch, sequence, retried: false, window).ConfigureAwait(false);
                Commit(batch, result);
                sequence++;
                free.Add(batch.Buffer);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try { await reader.ConfigureAwait(false); }
            catch (Exception) { /* the send's failure is the one to report */ }
            throw;
        }
        await reader.ConfigureAwait(false); // the read's own failure, if it had one
        if (!_plan.Mapping.IsIncremental)
        {
            // A whole-view pass is over: the next run starts from the first row again.
            _store.SetWatermark(_key, _name, null);
            _observer.Verbose($"{Entity.Name}: the whole view was sent; the next run sends it again from the start.");
        }
    }

    /// <summary>The reading thread: one keyset page per batch, each handed over as soon as it is mapped.</summary>
    private void Read(Watermark? after, object? lookbackStart, ChannelWriter<PlusoftBatch> ready, ConcurrentBag<ArrayBufferWriter<byte>> free, CancellationToken ct)
    {
        var source = _options.Source;
        try
        {
            using var connection = SourceConnector.OpenAsync(source, ct).GetAwaiter().GetResult();
            var pages = new PlusoftPageReader(connection, _plan, source.TimeZone, _observer.Verbose, ct);
            while (true)
            {
                var batch = pages.ReadPage(after, lookbackStart, _options.BatchSize, free.TryTake(out var buffer) ? buffer : new ArrayBufferWriter<byte>(1 << 18));
                lookbackStart = null; // the window's first page only; the keyset walk goes on from its last row
                if (batch.Rows == 0) break;
                _progress.Read(batch.Rows);
                ready.WriteAsync(batch, ct).AsTask().GetAwaiter().GetResult();
                if (batch.Rows < _options.BatchSize) break;
                after = batch.LastKey;
            }
        }
        catch (DbException ex) when (!ct.IsCancellationRequested)
        {
            var kind = source.Dialect!.Classify(ex) ?? SyncErrorKind.QueryFailed;
            throw new SyncException(kind == SyncErrorKind.HostUnreachable ? kind : SyncErrorKind.QueryFailed,
                $"Reading '{_plan.Mapping.Source}' ({Entity.Name}) from {source.Provider} {source.Location} failed: {ex.Message}", ex, _plan.Mapping.Source);
        }
        finally
        {
            ready.TryComplete();
        }
    }

    private async Task SendRejectedAsync()
    {
        var rejected = _store.RejectedBatches(_key);
        Say(SyncLogLevel.Information, $"{Entity.Name}: {rejected.Count} rejected batch(es) to send again to POST {_options.Client.Endpoint(Entity)}.");
        if (rejected.Count == 0) return;
        var source = _options.Source;
        await using var connection = await SourceConnector.OpenAsync(source, _ct).ConfigureAwait(false);
        var pages = new PlusoftPageReader(connection, _plan, source.TimeZone, _observer.Verbose, _ct);
        var buffer = new ArrayBufferWriter<byte>(1 << 18);
        foreach (var record in rejected)
        {
            if (record.FirstKey is null || record.Watermark is null)
            {
                _observer.Warning($"{Entity.Name} batch #{record.Sequence} has no key range in the state store; it cannot be read again.");
                continue;
            }
            PlusoftBatch batch;
            try { batch = pages.ReadRange(Watermark.Parse(record.FirstKey), Watermark.Parse(record.Watermark), buffer); }
            catch (DbException ex)
            {
                throw new SyncException(SyncErrorKind.QueryFailed,
                    $"Reading '{_plan.Mapping.Source}' ({Entity.Name}) from {source.Provider} {source.Location} failed: {ex.Message}", ex, _plan.Mapping.Source);
            }
            _progress.Read(batch.Rows);
            var result = batch.Rows == 0
                ? Result(batch, record.Sequence, PlusoftBatchStatus.Delivered, new PlusoftDelivery(true, 0, 0, null,
                    "no row is left in the batch's key range (changed rows moved on and go with the next sync)", []), retried: true)
                : await DeliverAsync(batch, record.Sequence, retried: true).ConfigureAwait(false);
            if (result.Status == PlusoftBatchStatus.Delivered)
                _store.MarkRedelivered(_key, record.Sequence, batch.Rows, batch.Payload.Length, batch.Sha256, result.BatchId);
            Count(batch, result);
        }
    }

    /// <summary>Sends a batch (unless a record could not be mapped) and says what became of it.</summary>
    private async Task<PlusoftBatchResult> DeliverAsync(PlusoftBatch batch, long sequence, bool retried, long lookbackRows = 0)
    {
        _progress.Activity = $"Sending {Entity.Name} #{sequence}";
        if (batch.Problems.Count > 0)
        {
            var problems = string.Join("; ", batch.Problems.Take(5).Select(p => $"record {p.Index} (key ({new Watermark(batch.Keys[p.Index])})): {p.Problem}"))
                           + (batch.Problems.Count > 5 ? $"; and {batch.Problems.Count - 5} more" : "");
            return Result(batch, sequence, PlusoftBatchStatus.Rejected,
                new PlusoftDelivery(false, 0, 0, null, $"not sent: the mapping could not convert {batch.Problems.Count} record(s): {problems}", []), retried, lookbackRows: lookbackRows);
        }
        var started = Stopwatch.GetTimestamp();
        var delivery = await _options.Client.PostAsync(Entity, batch.Payload, DeliveryKey.For(batch.Sha256, sequence), _ct).ConfigureAwait(false);
        var message = delivery.Delivered ? null : Describe(batch, delivery);
        return Result(batch, sequence, delivery.Delivered ? PlusoftBatchStatus.Delivered : PlusoftBatchStatus.Rejected,
            delivery with { Message = message ?? delivery.Message }, retried, Stopwatch.GetElapsedTime(started), lookbackRows);
    }

    /// <summary>The API's message and the records it named, by their keys.</summary>
    private static string Describe(PlusoftBatch batch, PlusoftDelivery delivery)
    {
        var records = delivery.RecordErrors.Take(5).Select(e =>
            (e.Indice is { } i && i >= 0 && i < batch.Rows ? $"record {i} (key ({new Watermark(batch.Keys[i])}))" : $"record {e.Indice}") +
            (e.Campo is null ? "" : $" {e.Campo}") + ": " + e.Mensagem).ToList();
        if (delivery.RecordErrors.Count > 5) records.Add($"and {delivery.RecordErrors.Count - 5} more");
        return $"HTTP {delivery.Status}: {delivery.Message}" + (records.Count == 0 ? "" : " — " + string.Join("; ", records));
    }

    private PlusoftBatchResult Result(PlusoftBatch batch, long sequence, PlusoftBatchStatus status, PlusoftDelivery delivery, bool retried,
        TimeSpan duration = default, long lookbackRows = 0) => new()
    {
        Entity = Entity.Name,
        Sequence = sequence,
        Status = status,
        Rows = batch.Rows,
        Bytes = batch.Payload.Length,
        FirstKey = batch.Rows == 0 ? null : batch.FirstKey.ToString(),
        LastKey = batch.Rows == 0 ? null : batch.LastKey.ToString(),
        BatchId = delivery.BatchId,
        HttpStatus = delivery.Status,
        Attempts = delivery.Attempts,
        Duration = duration,
        Message = delivery.Message,
        Retried = retried,
        LookbackRows = lookbackRows,
        IdempotencyKey = DeliveryKey.For(batch.Sha256, sequence),
    };

    /// <summary>The batch's record and the watermark past it, in one transaction (DESIGN contract 2).</summary>
    private void Commit(PlusoftBatch batch, PlusoftBatchResult result)
    {
        var record = new BatchRecord(result.Sequence, _options.Client.Endpoint(Entity), batch.Rows, batch.Payload.Length, batch.Sha256,
            result.FirstKey, result.LastKey) { FirstKey = batch.FirstKey.Serialize() };
        _store.CommitBatch(_key, _name, record, batch.LastKey.Serialize(),
            result.Status == PlusoftBatchStatus.Delivered ? BatchStatus.Confirmed : BatchStatus.Rejected, result.BatchId);
        Count(batch, result);
    }

    private void Count(PlusoftBatch batch, PlusoftBatchResult result)
    {
        var delivered = result.Status == PlusoftBatchStatus.Delivered;
        _rows += batch.Rows;
        _lookbackRows += result.LookbackRows;
        _batches++;
        if (delivered) _delivered++;
        else
        {
            _rejected++;
            _rejectedRows += batch.Rows;
        }
        _progress.Done(batch.Rows, delivered);
        _log?.Write(delivered ? SyncLogLevel.Information : SyncLogLevel.Error,
            delivered
                ? $"{Entity.Name} batch #{result.Sequence}{(result.Retried ? " (sent again)" : "")} delivered: {result.Rows:N0} record(s), keys ({result.FirstKey}) to ({result.LastKey}), lote {result.BatchId ?? "?"}, {result.Attempts} attempt(s)."
                : Rejection(result),
            new Dictionary<string, object?> { ["Sequence"] = result.Sequence, ["BatchRows"] = result.Rows, ["HttpStatus"] = result.HttpStatus, ["Attempts"] = result.Attempts });
        if (!delivered) _observer.ItemError(new SyncException(SyncErrorKind.BatchRejected, Rejection(result), target: $"{Entity.Name}#{result.Sequence}"));
        _batchDone(result);
    }

    private static string Rejection(PlusoftBatchResult r) =>
        $"Plusoft rejected {r.Entity} batch #{r.Sequence}{(r.Retried ? " again" : "")} ({r.Rows:N0} record(s), keys ({r.FirstKey}) to ({r.LastKey})): {r.Message}. " +
        "It stays pending: fix the rows (or the mapping) and run Sync-Plusoft -Pending; the other batches went on.";

    private void Say(SyncLogLevel level, string message)
    {
        _observer.Verbose(message);
        _log?.Write(level, message);
    }

    private PlusoftSyncSummary Complete()
    {
        var message = $"{_rows:N0} row(s) in {_batches:N0} batch(es): {_delivered:N0} delivered, {_rejected:N0} rejected" +
                      (_lookbackRows > 0 ? $"; {_lookbackRows:N0} row(s) of the look-back window (at or before the last run's watermark) sent again or late." : ".");
        End(RunStatus.Succeeded, message);
        var watermark = _store.GetWatermark(_key);
        return new PlusoftSyncSummary
        {
            Entity = Entity.Name,
            Source = _plan.Mapping.Source,
            Mode = _plan.Mode,
            Rows = _rows,
            Batches = _batches,
            Delivered = _delivered,
            Rejected = _rejected,
            RejectedRows = _rejectedRows,
            LookbackRows = _lookbackRows,
            Duration = _clock.Elapsed,
            Watermark = watermark is null ? null : "(" + Watermark.Parse(watermark) + ")",
            Pending = _store.RejectedBatches(_key).Count,
            LogFile = _log?.Path,
        };
    }

    private void End(RunStatus status, string message)
    {
        if (_ended) return;
        _ended = true;
        try { _store.EndRun(_runId, status, _rows, _batches, message); }
        catch (SyncException) { /* the state store may be what failed */ }
        _log?.Write(status == RunStatus.Succeeded ? SyncLogLevel.Information : SyncLogLevel.Error, $"{Entity.Name}: {status}: {message}");
    }

    public void Dispose()
    {
        if (!_ended) End(_ct.IsCancellationRequested ? RunStatus.Stopped : RunStatus.Failed, "stopped; batches read but not answered will be read again");
        _log?.Dispose();
        _lock.Dispose();
        _store.Dispose();
    }
}
