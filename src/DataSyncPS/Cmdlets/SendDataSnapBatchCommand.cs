using System.Diagnostics;
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
    private const int ProgressId = 42;
    private const int ProgressMilliseconds = 250;

    private readonly List<Task<DataSnapUpload>> _inFlight = new();
    private EngineEventQueue? _events;
    private BatchSender? _sender;
    private ResilientHttp? _http;
    private Stopwatch? _clock; // from the first batch handed to the sender
    private long _lastProgress = -1;

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

    /// <summary>Keep batch files in the outbox folder after DataSnap confirms them (by default they are deleted).</summary>
    [Parameter]
    public SwitchParameter KeepConfirmed { get; set; }

    private string? State => StatePath is null ? null : ResolvePath(StatePath);

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        var api = RunEngine(() => ApiBaseUrl.Check(ApiUrl!), ApiUrl);
        _events = new EngineEventQueue();
        _http = new ResilientHttp(new HttpPolicyOptions { MaxAttempts = MaxAttempts }) { OnRetry = _events.Verbose };
        var key = new System.Net.NetworkCredential("", ApiKey).Password;
        _sender = new BatchSender(new DataSnapClient(api, key, _http), Schema!, ThrottleLimit, KeepConfirmed);
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
                    OutboxBatch batch;
                    try { batch = BatchFileFacts.Describe(ResolvePath(p), State); }
                    catch (Exception ex) when (ex is not PipelineStoppedException)
                    {
                        var error = SyncErrorRecords.From(ex, p);
                        if (SyncErrorRecords.EndsEveryItem(((SyncException)error.Exception).Kind)) ThrowTerminatingError(error);
                        WriteError(error);
                        continue;
                    }
                    Start(batch);
                }
                break;
            case PendingSet:
                var pending = RunEngine(() => BatchSender.Pending(State, Stream), target: State);
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
            if (_clock is not null)
                WriteProgress(new ProgressRecord(ProgressId, $"Send-DataSnapBatch {Schema}", "Done") { RecordType = ProgressRecordType.Completed });
            _http?.Dispose();
            base.EndProcessing();
        }
    }

    private void Start(OutboxBatch batch)
    {
        if (!ShouldProcess($"{System.IO.Path.GetFileName(batch.Path)} ({batch.Rows:N0} rows)", $"Send to DataSnap schema '{Schema}' at {EndpointText.Mask(ApiUrl!)}")) return;
        WriteVerbose($"Sending {System.IO.Path.GetFileName(batch.Path)} ({batch.Rows:N0} rows), idempotency key {batch.IdempotencyKey}.");
        LogStream(batch.Stream);
        _inFlight.Add(_sender!.SendAsync(batch, StopToken));
        _clock ??= Stopwatch.StartNew();
    }

    /// <summary>Batches sent of those known, bytes, MB/s and the files in flight; a few times a second
    /// at most (DESIGN contract 6), the first once the record's batches are handed over.</summary>
    private void ShowProgress()
    {
        if (_clock is null) return;
        var now = _clock.ElapsedMilliseconds;
        if (_lastProgress >= 0 && now - _lastProgress < ProgressMilliseconds) return;
        _lastProgress = now;
        var progress = _sender!.Progress;
        var (queued, delivered, failed, bytes) = (progress.Queued, progress.Delivered, progress.Failed, progress.Bytes);
        var rate = bytes / 1048576.0 / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var files = progress.InFlight;
        WriteProgress(new ProgressRecord(ProgressId, $"Send-DataSnapBatch {Schema}",
            $"{delivered:N0} of {queued:N0} batch(es) sent{(failed > 0 ? $", {failed:N0} failed" : "")}, {Size(bytes)}, {rate:N1} MB/s")
        {
            CurrentOperation = files.Count == 0 ? "Waiting for batches"
                : System.IO.Path.GetFileName(files[0]) + (files.Count > 1 ? $" and {files.Count - 1:N0} more" : ""),
            // Only -Pending knows its total before the first send; piped batches would move the bar back.
            PercentComplete = ParameterSetName == PendingSet && queued > 0 ? (int)((delivered + failed) * 100 / queued) : -1,
        });
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes:N0} B",
        < 1 << 20 => $"{bytes / 1024.0:N1} KB",
        < 1L << 30 => $"{bytes / 1048576.0:N1} MB",
        _ => $"{bytes / 1073741824.0:N2} GB",
    };

    private void LogUpload(DataSnapUpload upload)
    {
        if (Log is not { } log) return;
        log.Count(upload.Rows, 1, upload.Bytes);
        log.Write(SyncLogLevel.Information,
            $"Batch {upload.Stream} #{upload.Sequence} confirmed by DataSnap schema '{Schema}': {upload.Rows:N0} row(s), {upload.Bytes:N0} bytes, {upload.Attempts} attempt(s), upload {upload.UploadId}.",
            upload.Stream, properties: new Dictionary<string, object?>
            {
                ["Schema"] = Schema,
                ["Sequence"] = upload.Sequence,
                ["BatchRows"] = upload.Rows,
                ["BatchBytes"] = upload.Bytes,
                ["Attempts"] = upload.Attempts,
                ["UploadId"] = upload.UploadId,
                ["UploadMs"] = upload.Duration,
            });
    }

    /// <summary>Writes finished uploads on the pipeline thread; with <paramref name="wait"/>, until none is left.</summary>
    private void Harvest(bool wait)
    {
        while (_inFlight.Count > 0)
        {
            _events!.Drain(this);
            ShowProgress();
            var done = _inFlight.FirstOrDefault(t => t.IsCompleted);
            if (done is null)
            {
                if (!wait) return;
                try { Task.WaitAny([.. _inFlight], ProgressMilliseconds); } catch (AggregateException) { }
                continue;
            }
            _inFlight.Remove(done);
            DataSnapUpload upload;
            try { upload = done.GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { throw new PipelineStoppedException(); }
            if (upload.Status == UploadStatus.Failed)
            {
                var kind = upload.ErrorKind ?? SyncErrorKind.RemoteCallFailed;
                var error = new SyncException(kind, $"Batch {upload.Stream}#{upload.Sequence} ('{upload.Path}') was not delivered: {upload.Error}", target: upload.Path);
                // A refused key would fail every batch: stop instead of trying them all.
                if (kind == SyncErrorKind.Unauthorized) ThrowTerminatingError(SyncErrorRecords.From(error, upload));
                WriteError(SyncErrorRecords.From(error, upload));
            }
            else
            {
                LogUpload(upload);
                WriteObject(upload);
            }
        }
        _events!.Drain(this);
    }
}
