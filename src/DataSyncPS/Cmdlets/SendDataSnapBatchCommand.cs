using System.Management.Automation;
using System.Security;
using DataSyncPS.Engine.DataSnap;
using DataSyncPS.Engine.Http;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Uploads batch files to DataSnap through signed URLs: piped SyncBatch objects as they are
/// exported, files by path, or the outbox's unconfirmed batches (-Pending).</summary>
[Cmdlet(VerbsCommunications.Send, "DataSnapBatch", DefaultParameterSetName = BatchSet, SupportsShouldProcess = true)]
[OutputType(typeof(DataSnapUpload))]
public sealed class SendDataSnapBatchCommand : SyncCmdlet
{
    private const string BatchSet = "Batch";
    private const string PathSet = "Path";
    private const string PendingSet = "Pending";

    private readonly List<Task<DataSnapUpload>> _inFlight = new();
    private EngineEventQueue? _events;
    private BatchSender? _sender;
    private ResilientHttp? _http;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = BatchSet)]
    public SyncBatch? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Sends batches written earlier but never confirmed (after a crash or a failed send).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PendingSet)]
    public SwitchParameter Pending { get; set; }

    [Parameter(ParameterSetName = PendingSet)]
    [ValidateNotNullOrEmpty]
    public string? Stream { get; set; }

    /// <summary>The DataSnap schema slug the batches belong to.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Schema { get; set; }

    [Parameter(Mandatory = true)]
    public Uri? ApiUrl { get; set; }

    /// <summary>The key, or the name of one saved with Save-SyncSecret.</summary>
    [Parameter(Mandatory = true)]
    [SavedSecret(SecretKind.ApiKey)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    [Parameter]
    [ValidateRange(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    private string? State => StatePath is null ? null : ResolvePath(StatePath);

    protected override void BeginProcessing()
    {
        var api = RunEngine(() => ApiBaseUrl.Check(ApiUrl!), ApiUrl);
        _events = new EngineEventQueue();
        _http = new ResilientHttp(new HttpPolicyOptions { MaxAttempts = MaxAttempts }) { OnRetry = _events.Verbose };
        var key = new System.Net.NetworkCredential("", ApiKey).Password;
        _sender = new BatchSender(new DataSnapClient(api, key, _http), Schema!, ThrottleLimit);
    }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case BatchSet:
                Start(OutboxBatch.From(InputObject!));
                break;
            case PathSet:
                foreach (var p in Path!)
                {
                    try { Start(BatchFileFacts.Describe(ResolvePath(p), State)); }
                    catch (SyncException ex) { WriteError(SyncErrorRecords.From(ex, p)); }
                }
                break;
            case PendingSet:
                var pending = BatchSender.Pending(State, Stream);
                WriteVerbose($"{pending.Count} batch(es) in the outbox are not confirmed yet.");
                foreach (var b in pending) Start(b);
                break;
        }
        Harvest(wait: false);
    }

    protected override void EndProcessing()
    {
        try { Harvest(wait: true); }
        finally
        {
            _http?.Dispose();
            base.EndProcessing();
        }
    }

    private void Start(OutboxBatch batch)
    {
        if (!ShouldProcess($"{System.IO.Path.GetFileName(batch.Path)} ({batch.Rows:N0} rows)", $"Send to DataSnap schema '{Schema}' at {EndpointText.Mask(ApiUrl!)}")) return;
        WriteVerbose($"Sending {System.IO.Path.GetFileName(batch.Path)} ({batch.Rows:N0} rows), idempotency key {batch.IdempotencyKey}.");
        _inFlight.Add(_sender!.SendAsync(batch, StopToken));
    }

    /// <summary>Writes finished uploads on the pipeline thread; with <paramref name="wait"/>, until none is left.</summary>
    private void Harvest(bool wait)
    {
        while (_inFlight.Count > 0)
        {
            _events!.Drain(this);
            var done = _inFlight.FirstOrDefault(t => t.IsCompleted);
            if (done is null)
            {
                if (!wait) return;
                try { Task.WaitAny([.. _inFlight], 250); } catch (AggregateException) { }
                continue;
            }
            _inFlight.Remove(done);
            DataSnapUpload upload;
            try { upload = done.GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { throw new PipelineStoppedException(); }
            if (upload.Status == "Failed")
            {
                var kind = upload.ErrorKind ?? SyncErrorKind.RemoteCallFailed;
                var error = new SyncException(kind, $"Batch {upload.Stream}#{upload.Sequence} ('{upload.Path}') was not delivered: {upload.Error}", target: upload.Path);
                // A refused key would fail every batch: stop instead of trying them all.
                if (kind == SyncErrorKind.Unauthorized) ThrowTerminatingError(SyncErrorRecords.From(error, upload));
                WriteError(SyncErrorRecords.From(error, upload));
            }
            else
            {
                WriteObject(upload);
            }
        }
        _events!.Drain(this);
    }
}
