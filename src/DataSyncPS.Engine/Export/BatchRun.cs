using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Export;

/// <summary>
/// What every export shares, whatever feeds it (a query, a log, pipeline rows): the stream lock, the
/// state store, the batch pipeline, and the commit that records each closed batch and advances the
/// stream's watermark in one transaction before the batch is announced.
/// </summary>
public sealed class BatchRun : IAsyncDisposable
{
    private readonly StreamLock _lock;
    private readonly ISyncObserver _observer;
    private readonly ExportProgress _progress;
    private readonly Func<object, string>? _serializeTag;
    private readonly long _runId;
    private long _batches;
    private string? _lastWatermark;
    private bool _ended;

    private BatchRun(StreamLock streamLock, StateStore state, string sourceName, string sourceIdentity, BatchOptions options,
        ISyncObserver observer, ExportProgress progress, Func<object, string>? serializeTag, CancellationToken ct)
    {
        _lock = streamLock;
        State = state;
        SourceName = sourceName;
        SourceIdentity = sourceIdentity;
        Options = options;
        _observer = observer;
        _progress = progress;
        _serializeTag = serializeTag;
        StreamKey = StateStore.StreamKey(sourceIdentity, options.Stream);
        Watermark = state.GetWatermark(StreamKey);
        _lastWatermark = Watermark;
        _runId = state.StartRun(StreamKey);
        Pipeline = new BatchPipeline(options, state.NextSequence(StreamKey, options.FilePathPrefix), Commit, ct);
    }

    public StateStore State { get; }
    public string SourceName { get; }
    public string SourceIdentity { get; }
    public BatchOptions Options { get; }
    public string StreamKey { get; }
    /// <summary>The stream's watermark when the run started (null on a first run or after -Reset).</summary>
    public string? Watermark { get; }
    public BatchPipeline Pipeline { get; }

    public static BatchRun Start(string? statePath, string sourceName, string sourceIdentity, BatchOptions options,
        ISyncObserver observer, ExportProgress progress, Func<object, string>? serializeTag, CancellationToken ct)
    {
        options.Validate();
        options = options.WithAbsoluteFolder();
        var streamLock = StreamLock.Acquire(options.OutputDirectory, options.FilePrefix, options.Stream);
        StateStore? state = null;
        try
        {
            var stale = StreamLock.RemoveStaleTemporaryFiles(options.OutputDirectory, options.FilePrefix);
            if (stale > 0) observer.Verbose($"Removed {stale} unfinished batch file(s) left by an interrupted run.");
            state = new StateStore(statePath);
            observer.Verbose($"State store: {state.Path}");
            return new BatchRun(streamLock, state, sourceName, sourceIdentity, options, observer, progress, serializeTag, ct);
        }
        catch
        {
            state?.Dispose();
            streamLock.Dispose();
            throw;
        }
    }

    /// <summary>Keeps the progress counters current; cheap enough to call per row.</summary>
    public void ReportRows() => _progress.SetRows(Pipeline.TotalRows, Pipeline.TotalBytes);

    public async Task<ExportSummary> CompleteAsync()
    {
        await Pipeline.CompleteAsync().ConfigureAwait(false);
        ReportRows();
        State.EndRun(_runId, "Succeeded", Pipeline.TotalRows, _batches, null);
        _ended = true;
        return new ExportSummary(Options.Stream, Pipeline.TotalRows, _batches, _lastWatermark);
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync().ConfigureAwait(false);
        if (!_ended)
        {
            try { State.EndRun(_runId, "Failed", Pipeline.TotalRows, _batches, "interrupted or failed; unfinished batch discarded"); }
            catch (Exception) { /* the state store may be what failed */ }
        }
        State.Dispose();
        _lock.Dispose();
    }

    private void Commit(ClosedBatchFile closed)
    {
        var watermark = closed.Tag is null || _serializeTag is null ? null : _serializeTag(closed.Tag);
        var record = new BatchRecord(closed.Sequence, closed.Path, closed.Rows, closed.Bytes, closed.Sha256,
            closed.FirstCursor is null ? null : Engine.State.Watermark.Display(closed.FirstCursor),
            closed.LastCursor is null ? null : Engine.State.Watermark.Display(closed.LastCursor));
        State.CommitBatch(StreamKey, SourceIdentity, Options.Stream, record, watermark);
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
            StreamKey = StreamKey,
        });
    }
}
