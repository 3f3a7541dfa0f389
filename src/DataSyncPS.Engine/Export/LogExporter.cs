using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Sources.LaravelLog;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Export;

/// <summary>
/// Streams a Laravel log source (a laravel.log file or a folder of daily files) into batch files, one
/// JSON object per entry (<see cref="LaravelLogEntry"/>). Each row carries the position after its
/// entry (files' identities and byte offsets), so a batch's commit stores exactly where to resume:
/// a rerun after a crash, a Ctrl+C or a log rotation reads every entry once.
/// </summary>
public static class LogExporter
{
    public const string DefaultStream = "laravel";

    public static Task<ExportSummary> RunAsync(ExportRequest request, ISyncObserver observer, ExportProgress progress, CancellationToken ct) =>
        // Reading and splitting is synchronous (file reads, no waits worth yielding for); it gets a thread of its own.
        Task.Factory.StartNew(() => RunCoreAsync(request, observer, progress, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private static async Task<ExportSummary> RunCoreAsync(ExportRequest request, ISyncObserver observer, ExportProgress progress, CancellationToken ct)
    {
        var source = request.Source;
        if (source.Provider != ProviderKind.LaravelLog || source.Path is null)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"Source '{source.Name}' is a {source.Provider} source, not a Laravel log; -Table and -Query read databases.");

        var options = new BatchOptions
        {
            OutputDirectory = request.OutputDirectory,
            Stream = request.Stream ?? DefaultStream,
            BatchSize = request.BatchSize,
            MaxBatchBytes = request.MaxBatchBytes,
            CompressionLevel = request.CompressionLevel,
        };
        var stream = new StreamRequest(new StreamKey(source.Identity, options.Stream), Reset: request.Reset);
        await using var run = BatchRun.Start(request.StatePath, source.Name, stream, options, observer, progress,
            tag => ((LogResumePoint)tag).ToPosition().Serialize(), ct);
        var known = LogPosition.Parse(run.Watermark);
        observer.Verbose(known.Files.Count == 0
            ? $"Stream '{options.Stream}' has no position: reading {source.Location} from the start."
            : $"Stream '{options.Stream}' continues at {known}.");
        progress.Activity = $"Reading {source.Location}";

        LogPosition final;
        try
        {
            using var reader = LaravelLogReader.Open(source.Path, source.TimeZone, known, observer);
            var pipeline = run.Pipeline;
            foreach (var (entry, after) in reader.Entries(ct))
            {
                entry.WriteTo(pipeline.Writer);
                pipeline.EndRow($"{entry.File}@{entry.Offset}", after);
                run.ReportRows();
            }
            final = reader.Position;
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The export was stopped.", ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var kind = ex is FileNotFoundException or DirectoryNotFoundException ? SyncErrorKind.PathNotFound : SyncErrorKind.QueryFailed;
            throw new SyncException(kind, $"Reading the Laravel log {source.Location} failed: {ex.Message}", ex, source.Path);
        }

        var summary = await run.CompleteAsync().ConfigureAwait(false);
        // Corrupt text after the last entry, or a file that only moved, leaves no row to carry the new
        // position; every batch is committed now, so storing it cannot skip a row (it only moves past
        // text already reported), and the next run does not report the same corrupt entry again.
        var position = final.Serialize();
        if (position != (summary.Watermark ?? run.Watermark) && (final.Files.Count > 0 || run.Watermark is not null))
        {
            run.State.SetWatermark(run.Key, options.Stream, position);
            summary = summary with { Watermark = position };
        }
        return summary;
    }
}
