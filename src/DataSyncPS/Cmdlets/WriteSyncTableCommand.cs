using System.Diagnostics;
using System.Management.Automation;
using DataSyncPS.Engine.Tables;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Upserts piped objects (API records, Import-Csv rows, hashtables) into a PostgreSQL or
/// MySQL/MariaDB table, a batch at a time: one result per batch.</summary>
[Cmdlet(VerbsCommunications.Write, "SyncTable", SupportsShouldProcess = true)]
[OutputType(typeof(TableWriteResult))]
public sealed class WriteSyncTableCommand : SyncCmdlet, IDisposable
{
    private const int ProgressId = 43;

    private readonly List<TableRecord> _buffer = new();
    private readonly EngineEventQueue _events = new();
    private TableWriter? _writer;
    private Stopwatch? _clock;
    private long _written;

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
        if (_written > 0) WriteProgress(new ProgressRecord(ProgressId, $"Write-SyncTable {Table}", "Done") { RecordType = ProgressRecordType.Completed });
        Close();
        base.EndProcessing();
    }

    private void Add(PSObject item)
    {
        if (item.BaseObject is null) return;
        _buffer.Add(new TableRecord(PSObjectRecord.From(item).ToList()));
        if (_buffer.Count >= BatchSize) Flush();
    }

    private void Flush()
    {
        if (_buffer.Count == 0) return;
        try
        {
            _writer ??= RunEngine(_ => TableWriter.OpenAsync(Source!, Table!, Key!, _events.Verbose, StopToken), target: Table);
            _events.Drain(this);
            var target = $"table '{_writer.TableText}' of {Source!.Provider} {Source.Location}";
            var change = RunEngine(() => _writer.Plan(_buffer), Table);
            if (!change.IsEmpty)
            {
                var ddl = string.Join(";\n", change.Statements);
                if (!CreateTable)
                {
                    var error = change.CreatesTable
                        ? new SyncException(SyncErrorKind.TableNotFound,
                            $"The table '{_writer.TableText}' does not exist on {Source.Provider} {Source.Location}; -CreateTable would create it as:\n{ddl}", target: _writer.TableText)
                        : new SyncException(SyncErrorKind.ColumnNotFound,
                            $"The table '{_writer.TableText}' has no column for the field(s) {string.Join(", ", change.NewColumns.Select(c => $"'{c.Name}'"))}; -CreateTable would add:\n{ddl}",
                            target: _writer.TableText);
                    ThrowTerminatingError(SyncErrorRecords.From(error));
                }
                WriteVerbose(ddl);
                var action = change.CreatesTable ? "Create the table" : $"Add column(s) {string.Join(", ", change.NewColumns.Select(c => c.Name))}";
                if (!ShouldProcess(target, $"{action}:\n{ddl}")) return;
                RunEngine(async _ => { await _writer.ApplyAsync(change, StopToken).ConfigureAwait(false); return 0; }, target: Table);
                _events.Drain(this);
            }
            if (!ShouldProcess(target, $"Upsert {_buffer.Count:N0} record(s) by {string.Join(", ", Key!)}")) return;
            var result = RunEngine(_ => _writer.WriteAsync(_buffer, _events, StopToken, change), target: Table);
            _events.Drain(this);
            _written += result.Records;
            WriteObject(result);
            WriteProgress(new ProgressRecord(ProgressId, $"Write-SyncTable {_writer.TableText}",
                $"{_written:N0} record(s) in {result.Batch:N0} batch(es), {_written / Math.Max(_clock!.Elapsed.TotalSeconds, 0.001):N0} records/s"));
        }
        finally
        {
            _buffer.Clear();
        }
    }

    private void Close()
    {
        if (_writer is null) return;
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _writer = null;
    }

    public void Dispose() => Close();
}
