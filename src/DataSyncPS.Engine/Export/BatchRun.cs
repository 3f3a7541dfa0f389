using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Export;

/// <summary>
/// What every export shares, whatever feeds it (a query, a log, pipeline rows): the stream's lock and
/// state, the output folder, the batch pipeline, and the commit that records each closed batch and
/// advances the stream's watermark in one transaction before the batch is announced.
/// </summary>
public sealed class BatchRun : IAsyncDisposable, IDisposable
{
    private readonly StreamLock _lock;
    private readonly ISyncObserver _observer;
    private readonly ExportProgress _progress;
    private readonly Func<object, string>? _serializeTag;
    private readonly CancellationToken _ct;
    private readonly long _runId;
    private long _batches;
    private string? _lastWatermark;
    private string? _failure;
    private bool _ended;

    private BatchRun(StreamLock streamLock, StateStore state, string sourceName, StreamRequest stream, BatchOptions options,
        ISyncObserver observer, ExportProgress progress, Func<object, string>? serializeTag, CancellationToken ct)
    {
        _lock = streamLock;
        State = state;
        SourceName = sourceName;
        Key = stream.Key;
        Options = options;
        _observer = observer;
        _progress = progress;
        _serializeTag = serializeTag;
        _ct = ct;
        Watermark = state.GetWatermark(Key);
        _lastWatermark = Watermark;
        _runId = state.StartRun(Key);
        Pipeline = new BatchPipeline(options, state.NextSequence(Key), Commit, ct,
            taken => observer.Warning($"Batch file '{taken}' already exists but is not this stream's next batch (left by an interrupted run, " +
                                      "or written for another state store); it was left untouched and the batch takes the next free name."));
    }

    public StateStore State { get; }
    public string SourceName { get; }
    public StreamKey Key { get; }
    public string SourceIdentity => Key.Source;
    public BatchOptions Options { get; }
    /// <summary>The stream's watermark when the run started (null on a first run or after a reset).</summary>
    public string? Watermark { get; }
    public BatchPipeline Pipeline { get; }

    /// <summary>Opens the stream's state and takes its lock, prepares the output folder, then (and only
    /// then, so bad input changes nothing) applies a requested reset and starts the run.</summary>
    public static BatchRun Start(string? statePath, string sourceName, StreamRequest stream, BatchOptions options,
        ISyncObserver observer, ExportProgress progress, Func<object, string>? serializeTag, CancellationToken ct)
    {
        options.Validate();
        options = options.WithAbsoluteFolder();
        var state = new StateStore(statePath);
        StreamLock? streamLock = null;
        try
        {
            observer.Verbose($"State store: {state.Path}");
            streamLock = state.LockStream(stream.Key, options.Stream);
            var stale = OutputFolder.Prepare(options);
            if (stale > 0) observer.Verbose($"Removed {stale} unfinished batch file(s) left by an interrupted run.");
            if (stream.EarlierKey is { } earlier && state.AdoptStream(earlier, stream.Key))
                observer.Verbose($"Stream '{options.Stream}' was kept as '{earlier.Text}'; it continues as '{stream.Key.Text}'.");
            if (stream.Reset)
                observer.Verbose(state.ResetStream(stream.Key) ? $"Stream '{options.Stream}' was reset." : $"Stream '{options.Stream}' had no watermark yet.");
            return new BatchRun(streamLock, state, sourceName, stream, options, observer, progress, serializeTag, ct);
        }
        catch
        {
            streamLock?.Dispose();
            state.Dispose();
            throw;
        }
    }

    /// <summary>Keeps the progress counters current; cheap enough to call per row.</summary>
    public void ReportRows() => _progress.SetRows(Pipeline.TotalRows, Pipeline.TotalBytes);

    /// <summary>What the run history says if the run ends without completing.</summary>
    public void Fail(string message) => _failure = message;

    public async Task<ExportSummary> CompleteAsync()
    {
        await Pipeline.CompleteAsync().ConfigureAwait(false);
        ReportRows();
        State.EndRun(_runId, RunStatus.Succeeded, Pipeline.TotalRows, _batches, null);
        _ended = true;
        return new ExportSummary(Options.Stream, Pipeline.TotalRows, _batches, _lastWatermark);
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync().ConfigureAwait(false);
        if (!_ended)
        {
            var stopped = _ct.IsCancellationRequested;
            var message = (stopped ? "stopped" : "failed") + "; the unfinished batch was discarded" + (_failure is null ? "" : ": " + _failure);
            try { State.EndRun(_runId, stopped ? RunStatus.Stopped : RunStatus.Failed, Pipeline.TotalRows, _batches, message); }
            catch (SyncException) { /* the state store may be what failed */ }
        }
        State.Dispose();
        _lock.Dispose();
    }

    /// <summary>For exporters that run on a thread of their own and block there.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Commit(ClosedBatchFile closed)
    {
        var watermark = closed.Tag is null || _serializeTag is null ? null : _serializeTag(closed.Tag);
        var record = new BatchRecord(closed.Sequence, closed.Path, closed.Rows, closed.Bytes, closed.Sha256,
            closed.FirstCursor is null ? null : Engine.State.Watermark.Display(closed.FirstCursor),
            closed.LastCursor is null ? null : Engine.State.Watermark.Display(closed.LastCursor));
        State.CommitBatch(Key, Options.Stream, record, watermark);
        if (watermark is not null) _lastWatermark = watermark;
        _batches++;
        _progress.BatchDone();
        _observer.Batch(new SyncBatch
        {
            Source = SourceName,
            Stream = Options.Stream,
            Sequence = closed.Sequence,
            Path = closed.Path,
            Rows = closed.Rows,
            Bytes = closed.Bytes,
            UncompressedBytes = closed.UncompressedBytes,
            Sha256 = closed.Sha256,
            FirstCursor = closed.FirstCursor,
            LastCursor = closed.LastCursor,
            PendingWatermark = watermark,
            StatePath = State.Path,
            StreamKey = Key.Text,
        });
    }
}
