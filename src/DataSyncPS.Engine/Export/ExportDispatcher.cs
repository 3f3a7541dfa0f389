using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Export;

/// <summary>Picks the exporter for a source: SQL engines, or the Laravel log reader.</summary>
public static class ExportDispatcher
{
    public static Task<ExportSummary> RunAsync(ExportRequest request, ISyncObserver observer, ExportProgress progress, CancellationToken ct)
    {
        if (request.Source.Provider == ProviderKind.LaravelLog)
        {
            if (request.Table is not null || request.Query is not null)
                throw new SyncException(SyncErrorKind.InvalidArgument, "A LaravelLog source has no tables; export it without -Table or -Query.");
            return LogExporter.RunAsync(request, observer, progress, ct);
        }
        if (request.Table is null && request.Query is null)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"Give -Table or -Query to export from {request.Source.Provider} source '{request.Source.Name}'.");
        return SqlExporter.RunAsync(request, observer, progress, ct);
    }

    /// <summary>The stream's name as given, for messages before the export runs (the export itself
    /// names and keys the stream from the catalog). Never throws: a bad table name is the export's error.</summary>
    public static string StreamName(ExportRequest request)
    {
        if (!string.IsNullOrWhiteSpace(request.Stream)) return request.Stream;
        if (request.Table is not null) return request.Table;
        return request.Source.Provider == ProviderKind.LaravelLog ? LogExporter.DefaultStream : "query";
    }
}
