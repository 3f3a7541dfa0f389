using System.Diagnostics;
using System.Management.Automation;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tables;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Upserts piped objects (API records, Import-Csv rows, hashtables) into a PostgreSQL or
/// MySQL/MariaDB table, a batch at a time: one result per batch. A full batch is written on a worker
/// while the pipeline goes on filling the next one (one batch in flight, so memory is two batches).
/// A collector's watermark carried by the records (Get-AuvoData -Incremental) moves only once the last
/// batch is in and nothing was refused.</summary>
[Cmdlet(VerbsCommunications.Write, "SyncTable", SupportsShouldProcess = true)]
[OutputType(typeof(TableWriteResult))]
public sealed class WriteSyncTableCommand : SyncCmdlet, IDisposable
{
    private const int ProgressId = 43;

    private readonly EngineEventQueue _events = new();
    private readonly PSObjectRecord _reader = new();
    private readonly List<WatermarkHandoff> _handoffs = new();
    private List<TableRecord> _buffer = new();
    private WatermarkHandoff? _lastHandoff;
    private TableWriter? _writer;
    private Task<TableWriteResult>? _inflight;
    private Stopwatch? _clock;
    private long _written, _rejected;
    private bool _skipped;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    [Parameter(Mandatory = true)]
    public SyncSource? Source { get; set; }

    /// <summary>The table, schema-qualified or not: auvo.customers.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Table { get; set; }

    /// <summary>The field(s) that identify a record: the table's primary key or a unique key.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Key { get; set; }

    /// <summary>Creates the schema and table from the records' shape when missing, and adds a column
    /// for each new field records bring.</summary>
    [Parameter]
    public SwitchParameter CreateTable { get; set; }

    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int BatchSize { get; set; } = 5_000;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _clock = Stopwatch.StartNew();
    }

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        // An array that arrives as one object (Invoke-RestMethod's JSON array) is its items.
        if (InputObject.BaseObject is System.Collections.IList list and not System.Collections.IDictionary)
            foreach (var item in list) Add(PSObject.AsPSObject(item));
        else Add(InputObject);
    }

    protected override void EndProcessing()
    {
        Flush();
        Finish();
        if (_written > 0) WriteProgress(new ProgressRecord(ProgressId, $"Write-SyncTable {Table}", "Done") { RecordType = ProgressRecordType.Completed });
        SettleWatermarks();
        Close();
        base.EndProcessing();
    }

    private void Add(PSObject item)
    {
        if (item.BaseObject is null) return;
        if (RecordWatermarks.Of(item) is { } handoff && handoff != _lastHandoff)
        {
            _lastHandoff = handoff;
            if (handoff.Claim()) _handoffs.Add(handoff);
        }
        _buffer.Add(_reader.Read(item));
        if (_buffer.Count >= BatchSize) Flush();
    }

    /// <summary>Hands the full batch to a worker, once the batch before it is in.</summary>
    private void Flush()
    {
        if (_buffer.Count == 0) return;
        var batch = _buffer;
        _buffer = new List<TableRecord>(Math.Min(BatchSize, 100_000));
        Finish();
        _writer ??= RunEngine(_ => TableWriter.OpenAsync(Source!, Table!, Key!, _events.Verbose, StopToken), target: Table);
        _events.Drain(this);
        var writer = _writer;
        var target = $"table '{writer.TableText}' of {Source!.Provider} {Source.Location}";
        var change = RunEngine(() => writer.Plan(batch), Table);
        if (!change.IsEmpty)
        {
            var ddl = string.Join(";\n", change.Statements);
            if (!CreateTable)
            {
                var error = change.CreatesTable
                    ? new SyncException(SyncErrorKind.TableNotFound,
                        $"The table '{writer.TableText}' does not exist on {Source.Provider} {Source.Location}; -CreateTable would create it as:\n{ddl}", target: writer.TableText)
                    : new SyncException(SyncErrorKind.ColumnNotFound,
                        $"The table '{writer.TableText}' has no column for the field(s) {string.Join(", ", change.NewColumns.Select(c => $"'{c.Name}'"))}; -CreateTable would add:\n{ddl}",
                        target: writer.TableText);
                ThrowTerminatingError(SyncErrorRecords.From(error));
            }
            WriteVerbose(ddl);
            var action = change.CreatesTable ? "Create the table" : $"Add column(s) {string.Join(", ", change.NewColumns.Select(c => c.Name))}";
            if (!ShouldProcess(target, $"{action}:\n{ddl}"))
            {
                _skipped = true;
                return;
            }
            RunEngine(async _ => { await writer.ApplyAsync(change, StopToken).ConfigureAwait(false); return 0; }, target: Table);
            _events.Drain(this);
        }
        if (!ShouldProcess(target, $"Upsert {batch.Count:N0} record(s) by {string.Join(", ", Key!)}"))
        {
            _skipped = true;
            return;
        }
        _inflight = Task.Run(() => writer.WriteAsync(batch, _events, StopToken, change));
    }

    /// <summary>Waits for the batch in flight, replaying its reports (rejected records) as they come,
    /// and writes its result.</summary>
    private void Finish()
    {
        if (_inflight is not { } task) return;
        _inflight = null;
        _events.Run(this, task.ContinueWith(static _ => 0, TaskScheduler.Default));
        var result = RunEngine(_ => task, target: Table);
        _events.Drain(this);
        _written += result.Records;
        _rejected += result.Rejected;
        WriteObject(result);
        WriteProgress(new ProgressRecord(ProgressId, $"Write-SyncTable {result.Table}",
            $"{_written:N0} record(s) in {result.Batch:N0} batch(es), {_written / Math.Max(_clock!.Elapsed.TotalSeconds, 0.001):N0} records/s"));
    }

    /// <summary>Every batch is in: the watermarks the records carried move, unless some record did not get in.</summary>
    private void SettleWatermarks()
    {
        var why = _skipped ? "not every batch was written (-WhatIf, or declined)"
            : _rejected > 0 ? $"{_rejected:N0} record(s) were rejected" : null;
        foreach (var handoff in _handoffs)
        {
            if (why is null)
            {
                if (RunEngine(() => handoff.Written(), handoff.Stream)) WriteVerbose($"{handoff.Stream}: every record is in '{Table}'; watermark saved.");
            }
            else
            {
                RunEngine(() => { handoff.NotWritten($"Write-SyncTable: {why}."); return 0; }, handoff.Stream);
                WriteWarning($"The {handoff.Stream} watermark stays where it was: {why}. The next incremental run fetches those records again.");
            }
        }
        _handoffs.Clear();
    }

    private void Close()
    {
        if (_inflight is { } task)
        {
            // Ended early (an error upstream, Ctrl+C): the batch in flight finishes or is cancelled first.
            _inflight = null;
            try { task.Wait(); } catch (AggregateException) { }
        }
        foreach (var handoff in _handoffs) handoff.NotWritten("Write-SyncTable did not finish.");
        _handoffs.Clear();
        if (_writer is null) return;
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _writer = null;
    }

    public void Dispose() => Close();
}
