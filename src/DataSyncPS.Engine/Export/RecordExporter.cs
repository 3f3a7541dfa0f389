using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Export;

/// <summary>
/// Batches records that arrive one at a time (objects piped into Export-SyncBatch, API data), with the
/// same files, outbox and commit as a table export. Records carry no keyset, so no watermark moves.
/// </summary>
public sealed class RecordExporter : IAsyncDisposable
{
    public const string PipelineSourceName = "Pipeline";

    private readonly BatchRun _run;
    private readonly TimeZoneInfo _zone;

    private RecordExporter(BatchRun run, TimeZoneInfo zone)
    {
        _run = run;
        _zone = zone;
    }

    public static RecordExporter Start(BatchOptions options, string? statePath, ISyncObserver observer, ExportProgress progress,
        CancellationToken ct, TimeZoneInfo? zone = null)
    {
        var run = BatchRun.Start(statePath, PipelineSourceName, new StreamRequest(new StreamKey(PipelineSourceName + ":", options.Stream)),
            options, observer, progress, null, ct);
        return new RecordExporter(run, zone ?? TimeZoneInfo.Utc);
    }

    public long Rows => _run.Pipeline.TotalRows;

    /// <summary>Writes one record: its properties in order, values mapped as in DESIGN contract 3.</summary>
    public void Write(IEnumerable<KeyValuePair<string, object?>> record)
    {
        var w = _run.Pipeline.Writer;
        w.WriteStartObject();
        foreach (var (name, value) in record)
        {
            w.WritePropertyName(name);
            JsonValueWriter.WriteValue(w, value, _zone);
        }
        w.WriteEndObject();
        _run.Pipeline.EndRow();
        _run.ReportRows();
    }

    public Task<ExportSummary> CompleteAsync() => _run.CompleteAsync();

    public ValueTask DisposeAsync() => _run.DisposeAsync();
}
