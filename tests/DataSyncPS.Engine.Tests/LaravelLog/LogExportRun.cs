using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>
/// A test's Laravel log export setup: logs under <c>logs/</c>, batches under <c>out/</c> and a state
/// store of its own, all in one temporary folder, and one export run at a time against them.
/// </summary>
public sealed class LogExportRun : IDisposable
{
    private readonly TempDirectory _dir = new();

    public LogExportRun()
    {
        Directory.CreateDirectory(Logs);
    }

    public string Logs => _dir.Combine("logs");
    public string Output => _dir.Combine("out");
    public string StatePath => _dir.Combine("state.db");
    public string Log(string name = "laravel.log") => Path.Combine(Logs, name);

    /// <summary>Every batch committed by the runs so far, in order.</summary>
    public List<SyncBatch> Batches { get; } = [];

    /// <summary>Runs one export; <paramref name="onItemError"/> runs on the export's thread right when
    /// an entry is reported corrupt, with what the run reported so far (a test cancels there to stop the
    /// run at a known point).</summary>
    public async Task<(ExportSummary Summary, RecordingObserver Observer)> ExportAsync(string? path = null, int batchSize = 1000,
        Action<RecordingObserver>? onItemError = null, CancellationToken ct = default)
    {
        var recording = new RecordingObserver();
        var source = await SourceConnector.ConnectAsync(new ConnectionSpec { Provider = ProviderKind.LaravelLog, Path = path ?? Logs }, test: true, ct);
        var request = new ExportRequest { Source = source, OutputDirectory = Output, StatePath = StatePath, BatchSize = batchSize };
        try
        {
            var summary = await LogExporter.RunAsync(request, new ReactingObserver(recording, onItemError), new ExportProgress(), ct);
            return (summary, recording);
        }
        finally
        {
            Batches.AddRange(recording.Batches);
        }
    }

    /// <summary>The "n" of every row in the committed batches, in order.</summary>
    public List<int> ExportedNumbers() =>
        BatchFiles.Rows(Batches).Select(r => r.GetProperty("context").GetProperty("n").GetInt32()).ToList();

    public string? StoredWatermark(string path)
    {
        using var state = new StateStore(StatePath);
        return state.GetWatermark(new StreamKey("LaravelLog:" + Path.GetFullPath(path), "laravel"));
    }

    public string[] TemporaryFiles() =>
        Directory.Exists(Output) ? Directory.GetFiles(Output, "*.tmp") : [];

    public void Dispose() => _dir.Dispose();

    private sealed class ReactingObserver(RecordingObserver inner, Action<RecordingObserver>? onItemError) : ISyncObserver
    {
        public void Batch(SyncBatch batch) => inner.Batch(batch);
        public void Verbose(string message) => inner.Verbose(message);
        public void Warning(string message) => inner.Warning(message);

        public void ItemError(SyncException error)
        {
            inner.ItemError(error);
            onItemError?.Invoke(inner);
        }
    }
}
