using System.Diagnostics;
using System.Security.Cryptography;
using DataSyncPS.Engine.Http;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.DataSnap;

/// <summary>
/// Delivers outbox batches (DESIGN contract 2): ask for an upload URL with the batch's idempotency key,
/// PUT the file from disk, confirm, then mark the batch confirmed in its state store. A rerun after a
/// crash at any step repeats the same key, so the API answers with the same upload and counts nothing
/// twice. An expired URL gets a new token. Up to ThrottleLimit batches travel at once.
/// </summary>
/// <param name="keepConfirmed">Keep batch files once confirmed; by default a confirmed batch's file
/// leaves the outbox, so a daily job never fills the disk (DESIGN contract 10).</param>
public sealed class BatchSender(DataSnapClient client, string schema, int throttleLimit = 4, bool keepConfirmed = false)
{
    private const int MaxTokenRenewals = 3;
    private readonly SemaphoreSlim _slots = new(Math.Max(1, throttleLimit));
    private readonly object _stateGate = new();

    /// <summary>Batches sent and failed, bytes streamed, files in flight: for a progress bar.</summary>
    public SendProgress Progress { get; } = new();

    /// <summary>Sends one batch, waiting for a free slot. Never throws for a failed delivery: the
    /// result says Failed with the reason (the caller reports it per item); throws on cancellation.</summary>
    public async Task<DataSnapUpload> SendAsync(OutboxBatch batch, CancellationToken ct)
    {
        Progress.Queue();
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        Progress.Started(batch.Path);
        DataSnapUpload? upload = null;
        try
        {
            upload = await SendCoreAsync(batch, ct).ConfigureAwait(false);
            return upload;
        }
        finally
        {
            Progress.Finished(batch.Path, upload is null ? null : upload.Status == UploadStatus.Confirmed);
            _slots.Release();
        }
    }

    /// <summary>Batches written but never confirmed, oldest first, from one state store.</summary>
    public static IReadOnlyList<OutboxBatch> Pending(string? statePath, string? stream = null)
    {
        using var store = new StateStore(statePath);
        return store.PendingBatches(stream).Select(b => OutboxBatch.From(b, store.Path)).ToList();
    }

    private async Task<DataSnapUpload> SendCoreAsync(OutboxBatch batch, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        string? uploadId = null;
        try
        {
            long size;
            string sha;
            try { (size, sha) = await HashAsync(batch.Path, ct).ConfigureAwait(false); }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Not a network failure to retry: the outbox lost the file (deleted, moved, an old state restored).
                throw new SyncException(SyncErrorKind.PathNotFound,
                    $"Batch file '{batch.Path}' ({batch.Stream} #{batch.Sequence}) is missing: it was written but never confirmed, and cannot be sent. " +
                    "Put it back from a backup of the outbox, or reset the stream (Reset-SyncState) to export its rows again.", ex, batch.Path);
            }
            if (!string.Equals(sha, batch.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new SyncException(SyncErrorKind.BatchCorrupt,
                    $"Batch file '{batch.Path}' has changed since it was written (SHA-256 {sha[..12]}…, recorded {batch.Sha256[..Math.Min(12, batch.Sha256.Length)]}…); it was not sent.", target: batch.Path);

            var request = new DataSnapContract.UploadTokenRequest(System.IO.Path.GetFileName(batch.Path), size, batch.Rows, sha, batch.IdempotencyKey);
            for (var renewal = 0; ; renewal++)
            {
                var (token, a1) = await client.RequestUploadAsync(schema, request, ct).ConfigureAwait(false);
                attempts += a1;
                uploadId = token.UploadId;
                var (stored, a2) = await client.PutFileAsync(token, batch.Path, ct, Progress.AddBytes).ConfigureAwait(false);
                attempts += a2;
                if (stored) break;
                if (renewal >= MaxTokenRenewals)
                    throw new HttpCallFailedException($"DataSnap kept answering 403 to the upload of '{batch.Path}' after {renewal + 1} fresh upload URLs.", System.Net.HttpStatusCode.Forbidden, attempts);
            }
            var (answer, a3) = await client.ConfirmAsync(schema, uploadId!, new DataSnapContract.ConfirmRequest(batch.Rows, sha, batch.IdempotencyKey), ct).ConfigureAwait(false);
            attempts += a3;
            MarkConfirmed(batch, answer.UploadId);
            return Result(batch, answer.UploadId, UploadStatus.Confirmed, attempts, clock.Elapsed, size, null, null, answer.Status);
        }
        catch (Exception ex) when (ex is HttpCallFailedException or SyncException or IOException && !ct.IsCancellationRequested)
        {
            var kind = ex switch
            {
                SyncException s => s.Kind,
                HttpCallFailedException { Status: System.Net.HttpStatusCode.Unauthorized } => SyncErrorKind.Unauthorized,
                _ => SyncErrorKind.RemoteCallFailed,
            };
            return Result(batch, uploadId, UploadStatus.Failed, attempts, clock.Elapsed, 0, ex.Message, kind);
        }
    }

    /// <summary>Records the delivery, then (confirmed and durable first) removes the file from the
    /// outbox. A crash in between leaves a confirmed batch's file behind, never a lost one.</summary>
    private void MarkConfirmed(OutboxBatch batch, string uploadId)
    {
        if (batch.StatePath is null || batch.StreamKey is null) return;
        lock (_stateGate)
        {
            using var store = new StateStore(batch.StatePath);
            store.MarkConfirmed(batch.StreamKey, batch.Sequence, uploadId);
        }
        if (keepConfirmed) return;
        try { File.Delete(batch.Path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* delivered all the same; the file stays */ }
    }

    private DataSnapUpload Result(OutboxBatch batch, string? uploadId, UploadStatus status, int attempts, TimeSpan duration, long bytes, string? error, SyncErrorKind? kind,
        string? remoteStatus = null) => new()
    {
        Schema = schema,
        Stream = batch.Stream,
        Sequence = batch.Sequence,
        Path = batch.Path,
        Rows = batch.Rows,
        Bytes = bytes,
        UploadId = uploadId,
        Status = status,
        RemoteStatus = remoteStatus,
        Attempts = attempts,
        Duration = duration,
        IdempotencyKey = batch.IdempotencyKey,
        Error = error,
        ErrorKind = kind,
    };

    private static async Task<(long Size, string Sha256)> HashAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(file, ct).ConfigureAwait(false);
        return (file.Length, Convert.ToHexString(hash).ToLowerInvariant());
    }
}
