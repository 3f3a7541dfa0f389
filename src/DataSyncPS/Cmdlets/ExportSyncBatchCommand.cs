using System.Diagnostics;
using System.IO.Compression;
using System.Management.Automation;
using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Exports a table, a query, a Laravel log or piped objects into gzip JSONL batch files,
/// emitting each batch as soon as it is on disk.</summary>
[Cmdlet(VerbsData.Export, "SyncBatch", DefaultParameterSetName = TableSet, SupportsShouldProcess = true)]
[OutputType(typeof(SyncBatch))]
public sealed class ExportSyncBatchCommand : SyncCmdlet, IDisposable
{
    private const string TableSet = "Table";
    private const string QuerySet = "Query";
    private const string InputObjectSet = "InputObject";
    private const int ProgressId = 41;

    private RecordExporter? _records;
    private readonly PSObjectRecord _recordReader = new();
    private EngineEventQueue? _recordEvents;
    private ExportProgress? _recordProgress;
    private Stopwatch? _recordClock;
    private long _lastRecordTick;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TableSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = QuerySet)]
    public SyncSource? Source { get; set; }

    [Parameter(Position = 0, ParameterSetName = TableSet)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Table { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = QuerySet)]
    [ValidateNotNullOrEmpty]
    public string? Query { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject? InputObject { get; set; }

    [Parameter(ParameterSetName = TableSet)]
    [Parameter(Mandatory = true, ParameterSetName = QuerySet)]
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNullOrEmpty]
    public string? Stream { get; set; }

    [Parameter]
    [Alias("Destination")]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int BatchSize { get; set; } = 50_000;

    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MaxBatchBytes { get; set; }

    [Parameter]
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Optimal;

    [Parameter(ParameterSetName = TableSet)]
    [Parameter(ParameterSetName = QuerySet)]
    public SwitchParameter Incremental { get; set; }

    [Parameter(ParameterSetName = TableSet)]
    [Parameter(ParameterSetName = QuerySet)]
    [ValidateNotNullOrEmpty]
    public string? CursorColumn { get; set; }

    [Parameter(ParameterSetName = TableSet)]
    [Parameter(ParameterSetName = QuerySet)]
    [ValidateNotNullOrEmpty]
    public string[]? KeyColumn { get; set; }

    [Parameter(ParameterSetName = TableSet)]
    [Parameter(ParameterSetName = QuerySet)]
    [ValidateRange(0, int.MaxValue)]
    public int LookbackSeconds { get; set; }

    [Parameter(ParameterSetName = TableSet)]
    [Parameter(ParameterSetName = QuerySet)]
    [ValidateRange(1, int.MaxValue)]
    public int PageSize { get; set; } = 50_000;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>Forgets the stream's watermark first, so the export starts over.</summary>
    [Parameter(ParameterSetName = TableSet)]
    [Parameter(ParameterSetName = QuerySet)]
    public SwitchParameter Reset { get; set; }

    private string Output => OutputDirectory is null ? ExportDefaults.OutputDirectory : ResolvePath(OutputDirectory);
    private string? State => StatePath is null ? null : ResolvePath(StatePath);

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet) WriteRecord();
        else ExportSource(Source!);
    }

    protected override void EndProcessing()
    {
        if (_records is not null)
        {
            try { RunRecordsToEnd(); }
            finally { WriteProgress(new ProgressRecord(ProgressId, "Export-SyncBatch", "Done") { RecordType = ProgressRecordType.Completed }); }
        }
        base.EndProcessing();
    }

    private void ExportSource(SyncSource source)
    {
        var what = Query is not null ? $"query as stream '{Stream}'" : Table is not null ? $"table '{Table}'" : $"log '{source.Path}'";
        var draft = Request(source, reset: false);
        var reset = Reset && ShouldProcess($"stream '{ExportDispatcher.StreamName(draft)}' of {source.Name}",
            "Reset the watermark (the next export starts from the beginning)");
        if (!ShouldProcess($"{what} of {source.Provider} {source.Location}", $"Export to batch files in '{Output}'")) return;
        var request = Request(source, reset);

        var progress = new ExportProgress();
        var clock = Stopwatch.StartNew();
        var stream = ExportDispatcher.StreamName(request);
        LogStream(stream);
        try
        {
            ShowProgress(stream, progress, clock);
            // One failed source of several piped in is that source's error; the others are still exported.
            if (RunEngineForItem(queue => ExportDispatcher.RunAsync(request, queue, progress, StopToken), out var summary,
                    () => ShowProgress(stream, progress, clock), target: Table ?? Query ?? source.Path))
            {
                var done = $"Stream '{summary!.Stream}': {summary.Rows:N0} rows in {summary.Batches:N0} batch(es), {clock.Elapsed.TotalSeconds:N1}s" +
                           (summary.Watermark is null ? "." : $"; watermark {summary.Watermark}.");
                WriteVerbose(done, SyncLogLevel.Information);
            }
        }
        finally
        {
            WriteProgress(new ProgressRecord(ProgressId, "Export-SyncBatch", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private ExportRequest Request(SyncSource source, bool reset) => new()
    {
        Source = source,
        Table = Table,
        Query = Query,
        Stream = Stream,
        OutputDirectory = Output,
        BatchSize = BatchSize,
        MaxBatchBytes = MaxBatchBytes,
        CompressionLevel = CompressionLevel,
        Incremental = Incremental,
        CursorColumn = CursorColumn,
        KeyColumns = KeyColumn,
        LookbackSeconds = LookbackSeconds,
        PageSize = PageSize,
        StatePath = State,
        Reset = reset,
    };

    private void WriteRecord()
    {
        if (_records is null)
        {
            if (!ShouldProcess($"objects from the pipeline as stream '{Stream}'", $"Export to batch files in '{Output}'")) return;
            LogStream(Stream);
            _recordEvents = new EngineEventQueue();
            _recordProgress = new ExportProgress();
            _recordClock = Stopwatch.StartNew();
            try
            {
                _records = RecordExporter.Start(new BatchOptions
                {
                    OutputDirectory = Output,
                    Stream = Stream!,
                    BatchSize = BatchSize,
                    MaxBatchBytes = MaxBatchBytes,
                    CompressionLevel = CompressionLevel,
                }, State, _recordEvents, _recordProgress, StopToken);
            }
            catch (Exception ex) when (ex is not PipelineStoppedException) { ThrowTerminatingError(SyncErrorRecords.From(ex, Stream)); }
        }
        try
        {
            // An array that arrives as one object (Invoke-RestMethod's JSON array, ,@(...)) is its items.
            if (InputObject!.BaseObject is System.Collections.IList list and not System.Collections.IDictionary)
                foreach (var item in list) _records!.Write(_recordReader.Read(PSObject.AsPSObject(item)).Fields);
            else _records!.Write(_recordReader.Read(InputObject).Fields);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            AbandonRecords();
            ThrowTerminatingError(SyncErrorRecords.From(ex, Stream));
        }
        _recordEvents!.Drain(this);
        if (_recordClock!.ElapsedMilliseconds - _lastRecordTick >= 250)
        {
            _lastRecordTick = _recordClock.ElapsedMilliseconds;
            ShowProgress(Stream!, _recordProgress!, _recordClock);
        }
    }

    private void RunRecordsToEnd()
    {
        try
        {
            var summary = RunEngine(_ => _records!.CompleteAsync(), target: Stream);
            _recordEvents!.Drain(this);
            var done = $"Stream '{summary.Stream}': {summary.Rows:N0} records in {summary.Batches:N0} batch(es).";
            WriteVerbose(done, SyncLogLevel.Information);
        }
        finally
        {
            AbandonRecords();
        }
    }

    private void AbandonRecords(bool replayReports = true)
    {
        if (_records is null) return;
        _records.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (replayReports) _recordEvents?.Drain(this);
        _records = null;
    }

    /// <summary>PowerShell disposes the cmdlet when its pipeline ends, stopped ones too (Ctrl+C skips
    /// EndProcessing): an export of piped objects then discards its open batch and records its run.</summary>
    public void Dispose()
    {
        if (_records is null) return;
        CancelIfStopping();
        AbandonRecords(replayReports: false);
    }

    private void ShowProgress(string stream, ExportProgress progress, Stopwatch clock)
    {
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        var rows = progress.Rows;
        WriteProgress(new ProgressRecord(ProgressId, $"Export-SyncBatch {stream}",
            $"{rows:N0} rows, {rows / seconds:N0} rows/s, {progress.Batches:N0} batch(es) closed")
        {
            CurrentOperation = progress.Activity,
        });
    }
}
