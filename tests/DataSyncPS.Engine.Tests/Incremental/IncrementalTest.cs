using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// What every incremental test does: export a table of one server into a folder of its own, with a
/// state store of its own, and read back the ids a receiver would get from the outbox.
/// Subclasses run once per engine (one small sealed class per engine at the end of each file).
/// </summary>
public abstract class IncrementalTest(TestDatabase db) : IDisposable
{
    protected TestDatabase Db { get; } = db;
    protected TempDirectory Temp { get; } = new();
    protected string OutputDirectory => Temp.Combine("out");
    protected string StatePath => Temp.Combine("state.db");
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One incremental export of <paramref name="table"/>; small batches and pages by default so
    /// that every test crosses many page and batch edges. The result lists the announced batches when
    /// <paramref name="observer"/> is a <see cref="RecordingObserver"/> or not given.</summary>
    protected async Task<ExportRun> ExportAsync(string table, int batchSize = 7, int pageSize = 5, int lookbackSeconds = 0,
        long maxBatchBytes = 0, IReadOnlyList<string>? keyColumns = null, string cursorColumn = "updated_at",
        string? stream = null, ISyncObserver? observer = null, CancellationToken? ct = null, SyncSource? source = null,
        string? outputDirectory = null, System.IO.Compression.CompressionLevel compression = System.IO.Compression.CompressionLevel.Optimal)
    {
        source ??= await Db.ConnectAsync(Ct);
        var recorder = observer as RecordingObserver ?? new RecordingObserver();
        var summary = await SqlExporter.RunAsync(new ExportRequest
        {
            Source = source,
            Table = table,
            Stream = stream,
            OutputDirectory = outputDirectory ?? OutputDirectory,
            StatePath = StatePath,
            CompressionLevel = compression,
            Incremental = true,
            CursorColumn = cursorColumn,
            KeyColumns = keyColumns,
            BatchSize = batchSize,
            PageSize = pageSize,
            LookbackSeconds = lookbackSeconds,
            MaxBatchBytes = maxBatchBytes,
        }, observer ?? recorder, new ExportProgress(), ct ?? Ct);
        return new ExportRun(summary, [.. recorder.Batches]);
    }

    /// <summary>The state store key of a table's stream on this test's server, found by the stream's
    /// name (the store keys it by its canonical name).</summary>
    protected async Task<string> StreamKeyAsync(string stream, SyncSource? source = null)
    {
        var identity = (source ?? await Db.ConnectAsync(Ct)).Identity;
        using var state = new StateStore(StatePath);
        return state.Streams().FirstOrDefault(s => s.Source == identity && (s.Stream == stream || s.CanonicalName == stream))?.StreamKey
            ?? new StreamKey(identity, stream).Text;
    }

    /// <summary>The outbox: every batch the state store recorded for the stream, oldest first.</summary>
    protected async Task<IReadOnlyList<BatchRecord>> OutboxAsync(string stream, SyncSource? source = null)
    {
        var key = await StreamKeyAsync(stream, source);
        using var state = new StateStore(StatePath);
        return state.Batches(key);
    }

    protected async Task<string?> WatermarkAsync(string stream)
    {
        var key = await StreamKeyAsync(stream);
        using var state = new StateStore(StatePath);
        return state.GetWatermark(key);
    }

    /// <summary>Ids in the files of the outbox, in order, duplicates kept.</summary>
    protected async Task<List<long>> OutboxIdsAsync(string stream, SyncSource? source = null) =>
        Ids((await OutboxAsync(stream, source)).Select(b => b.Path));

    protected static List<long> Ids(IEnumerable<string> batchPaths) =>
        batchPaths.SelectMany(BatchFiles.Rows).Select(r => r.GetProperty("id").GetInt64()).ToList();

    protected static List<long> Ids(ExportRun run) => Ids(run.Batches.OrderBy(b => b.Sequence).Select(b => b.Path));

    protected static List<long> Range(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => (long)i).ToList();

    /// <summary>Every id exactly once: same set, same count.</summary>
    protected static void AssertExactlyOnce<T>(IEnumerable<T> expected, IEnumerable<T> actual)
    {
        var a = actual.ToList();
        var duplicates = a.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"Rows exported more than once: {string.Join(", ", duplicates)}");
        var missing = expected.Except(a).ToList();
        Assert.True(missing.Count == 0, $"Rows never exported: {string.Join(", ", missing)}");
        var extra = a.Except(expected).ToList();
        Assert.True(extra.Count == 0, $"Rows exported that were not expected: {string.Join(", ", extra)}");
    }

    protected string[] FilesInOutput(string pattern = "*") =>
        Directory.Exists(OutputDirectory) ? Directory.GetFiles(OutputDirectory, pattern).Select(f => Path.GetFileName(f)).ToArray() : [];

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>What one export reported: its summary and the batches it announced.</summary>
public sealed record ExportRun(ExportSummary Summary, IReadOnlyList<SyncBatch> Batches);
