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
    private List<TableRecord> _part = new();
    private WatermarkHandoff? _lastHandoff;
    private TableWriter? _writer;
    private TableBatch? _batch;               // the batch being filled, converted a part at a time on a worker
    private EngineEventQueue? _batchEvents;   // its rejected records, reported once it is written
    private Task _converted = Task.CompletedTask; // the conversion of its last part (each waits for the one before)
    private readonly Queue<Task> _converting = new();
    private TableChange? _batchChange;        // the DDL run before it, shown in its result
    private long _batchRecords;
    private string? _declined;                // DDL declined (-WhatIf, No): not asked again
    private Task<TableWriteResult>? _inflight; // the batch before, being written
    private EngineEventQueue? _inflightEvents;
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
        Feed();
        CloseBatch();
        Finish();
        if (_written > 0) WriteProgress(new ProgressRecord(ProgressId, $"Write-SyncTable {Table}", "Done") { RecordType = ProgressRecordType.Completed });
        SettleWatermarks();
        Close();
        base.EndProcessing();
    }

    /// <summary>Records go to the worker in parts of this many (the batch size when smaller), so the
    /// records of a batch are not all held until it is full.</summary>
    private const int PartSize = 1_000;

    private void Add(PSObject item)
    {
        if (item.BaseObject is null) return;
        if (RecordWatermarks.Of(item) is { } handoff && handoff != _lastHandoff)
        {
            _lastHandoff = handoff;
            if (handoff.Claim()) _handoffs.Add(handoff);
        }
        _writer ??= RunEngine(_ => TableWriter.OpenAsync(Source!, Table!, Key!, _events.Verbose, StopToken), target: Table);
        _part.Add(_reader.Read(item));
        // A table still to be created is typed from a whole batch of values, as it always was.
        if (_part.Count >= (_writer.TableExists ? Math.Min(BatchSize, PartSize) : BatchSize)) Feed();
    }

    /// <summary>Plans the DDL the part needs, then hands it to the batch's conversion; a full batch is written.</summary>
    private void Feed()
    {
        if (_part.Count == 0) return;
        var part = _part;
        _part = new List<TableRecord>(Math.Min(BatchSize, PartSize));
        var writer = _writer!;
        _events.Drain(this);
        var change = RunEngine(() => writer.Plan(part), Table);
        if (!change.IsEmpty)
        {
            CloseBatch(); // the records before this part go as they are
            if (!Apply(writer, change)) return;
        }
        if (_batch is not null && !_batch.Fits(part, writer.Columns)) CloseBatch();
        if (_batch is null)
        {
            _batch = RunEngine(() => writer.BeginBatch(part), Table);
            _batchEvents = new EngineEventQueue();
            _converted = Task.CompletedTask;
        }
        var (batch, events, before) = (_batch, _batchEvents!, _converted);
        // Two parts at most wait for the worker: a producer faster than the conversion waits here.
        while (_converting.Count >= 2) Await(_converting.Dequeue());
        _converted = Task.Run(async () =>
        {
            await before.ConfigureAwait(false);
            batch.Add(part, events, StopToken);
        });
        _converting.Enqueue(_converted);
        _batchRecords += part.Count;
        if (_batchRecords >= BatchSize) CloseBatch();
    }

    /// <summary>Runs the DDL a part needs, if -CreateTable allows it and the user agrees; false when the part is skipped.</summary>
    private bool Apply(TableWriter writer, TableChange change)
    {
        var ddl = string.Join(";\n", change.Statements);
        var target = $"table '{writer.TableText}' of {Source!.Provider} {Source.Location}";
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
        if (ddl == _declined)
        {
            _skipped = true;
            return false;
        }
        WriteVerbose(ddl);
        var action = change.CreatesTable ? "Create the table" : $"Add column(s) {string.Join(", ", change.NewColumns.Select(c => c.Name))}";
        if (!ShouldProcess(target, $"{action}:\n{ddl}"))
        {
            _declined = ddl;
            _skipped = true;
            return false;
        }
        Finish(); // the batch before is in before the table changes
        RunEngine(async _ => { await writer.ApplyAsync(change, StopToken).ConfigureAwait(false); return 0; }, target: Table);
        _events.Drain(this);
        _batchChange = change;
        return true;
    }

    /// <summary>Ends the batch being filled: once the batch before is written, this one is written on a worker.</summary>
    private void CloseBatch()
    {
        if (_batch is not { } batch) return;
        var (events, converted, change, records) = (_batchEvents!, _converted, _batchChange, _batchRecords);
        _batch = null;
        _batchEvents = null;
        _converted = Task.CompletedTask;
        _converting.Clear();
        _batchChange = null;
        _batchRecords = 0;
        Finish();
        var writer = _writer!;
        if (!ShouldProcess($"table '{writer.TableText}' of {Source!.Provider} {Source.Location}", $"Upsert {records:N0} record(s) by {string.Join(", ", Key!)}"))
        {
            _skipped = true;
            Await(converted);
            batch.Dispose();
            return;
        }
        _inflightEvents = events;
        _inflight = Task.Run(async () =>
        {
            try
            {
                await converted.ConfigureAwait(false);
                return await writer.WriteAsync(batch, StopToken, change).ConfigureAwait(false);
            }
            finally { batch.Dispose(); }
        });
    }

    private void Await(Task task) => RunEngine(async _ => { await task.ConfigureAwait(false); return 0; }, target: Table);

    private void Finish()
    {
        if (_inflight is not { } task) return;
        _inflight = null;
        _events.Run(this, task.ContinueWith(static _ => 0, TaskScheduler.Default));
        _inflightEvents?.Drain(this);
        _inflightEvents = null;
        var result = RunEngine(_ => task, target: Table);
        _events.Drain(this);
        _written += result.Records;
        _rejected += result.Rejected;
        WriteObject(result);
        WriteProgress(new ProgressRecord(ProgressId, $"Write-SyncTable {result.Table}",
            $"{_written:N0} record(s) in {result.Batch:N0} batch(es), {_written / Math.Max(_clock!.Elapsed.TotalSeconds, 0.001):N0} records/s"));
    }

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
        // Ended early (an error upstream, Ctrl+C): the batch in flight finishes or is cancelled first.
        if (_batch is { } batch)
        {
            _batch = null;
            try { _converted.Wait(); } catch (AggregateException) { }
            batch.Dispose();
        }
        if (_inflight is { } task)
        {
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
