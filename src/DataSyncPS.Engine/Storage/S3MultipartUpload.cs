using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace DataSyncPS.Engine.Storage;

/// <summary>
/// Streams an object into S3 in parts, with memory bounded by the part size times the parts in flight.
/// A dump smaller than one part goes in one PUT with all its metadata. A larger one is a multipart
/// upload: the metadata known at the start goes with it, and all of it, the size and SHA-256 known only
/// at the end included, in a small <c>&lt;key&gt;.metadata.json</c> object beside it (as in a folder).
/// Copying the object onto itself with new metadata would be the other way, but is limited to 5 GB
/// and s3rver cannot do it (it misreads the encoded x-amz-copy-source). Any failure, a
/// cancellation, or disposing without completing aborts the multipart upload, and a completed object
/// whose last step failed is deleted: no partial object is ever left. The object is created, never
/// replaced: the PUT or the completion carries <c>If-None-Match: *</c>, so a backup that took the
/// same name meanwhile stays as it is and this one fails (412); a store that does not implement the
/// header (501) gets the call again without it, the caller having checked the name was free.
/// Each part is sent from its buffer, so the SDK's retries (<see cref="S3ClientFactory"/>) send it whole again.
/// </summary>
internal sealed class S3MultipartUpload : ObjectUpload
{
    private readonly AmazonS3Client _client;
    private readonly BackupDestination _destination;
    private readonly string _key;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly StorageOptions _options;
    private readonly PartPlan _plan;
    private readonly List<PartETag> _parts = new();
    private readonly List<Task> _inFlight = new();
    // Part buffers of this upload only. ArrayPool.Shared would keep a returned part in the thread-local
    // slot of whichever pool thread finished its upload, out of reach of the next Rent: with a dozen
    // pool threads that was ~90 MB of 8 MB arrays held for nothing (bench/backup-postgresql.sh peak).
    private readonly Stack<byte[]> _freeParts = new();
    private byte[]? _part;
    private int _filled;
    private int _partNumber;
    private string? _uploadId;
    private bool _completed;
    private bool _finished;

    /// <param name="plan">The one size of every part but the last (R2 refuses unequal parts), chosen
    /// before the first byte (<see cref="PartSizing"/>).</param>
    public S3MultipartUpload(AmazonS3Client client, BackupDestination destination, string key, IReadOnlyDictionary<string, string> metadata, StorageOptions options, PartPlan plan)
    {
        _client = client;
        _destination = destination;
        _key = key;
        _metadata = metadata;
        _options = options;
        _plan = plan;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var partSize = _plan.PartSize;
        while (!buffer.IsEmpty)
        {
            if (_part is null)
            {
                // Every part is full and the stream goes on: the store would refuse the next part, so stop
                // now rather than at the end; the caller aborts the upload.
                if (_partNumber >= _options.MaxParts) throw TooManyParts();
                _part = RentPart(partSize);
            }
            var n = Math.Min(partSize - _filled, buffer.Length);
            buffer.Span[..n].CopyTo(_part.AsSpan(_filled));
            _filled += n;
            BytesWritten += n;
            buffer = buffer[n..];
            if (_filled == partSize) await SendPartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private SyncException TooManyParts()
    {
        var size = _plan.PartSize;
        var suggested = Math.Min(Math.Max(2 * size, PartSizing.SmallestPart), PartSizing.LargestPart) >> 20;
        return new SyncException(SyncErrorKind.StorageFailed,
            $"{_destination.UriOf(_key)} outgrew {_options.MaxParts:N0} parts of {size >> 20} MB ({PartSizing.Size((long)size * _options.MaxParts)}), " +
            $"the most parts one upload may have: the upload is aborted and nothing is stored. Give -PartSizeMB {suggested} or more.", target: _destination.UriOf(_key));
    }

    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            var start = new InitiateMultipartUploadRequest { BucketName = _destination.Bucket, Key = _key, ContentType = "application/octet-stream" };
            foreach (var (k, v) in _metadata) start.Metadata.Add(k, ObjectMetadata.Encode(v));
            try
            {
                _uploadId = (await _client.InitiateMultipartUploadAsync(start, cancellationToken).ConfigureAwait(false)).UploadId;
                _options.Verbose?.Invoke($"S3 multipart upload of {_destination.Bucket}/{_key}: {_plan.Reason}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw StorageFailure.Translate(e, _destination, _options.Retry.MaxAttempts, $"starting the upload of {_key}");
            }
        }
        while (_inFlight.Count >= _options.PartsInFlight)
        {
            var done = await Task.WhenAny(_inFlight).ConfigureAwait(false);
            _inFlight.Remove(done);
            await done.ConfigureAwait(false);
        }
        var number = ++_partNumber;
        var (part, length) = (_part!, _filled);
        _part = null;
        _filled = 0;
        _inFlight.Add(UploadPartAsync(number, part, length, cancellationToken));
    }

    private async Task UploadPartAsync(int number, byte[] part, int length, CancellationToken cancellationToken)
    {
        try
        {
            using var body = new MemoryStream(part, 0, length, writable: false);
            var response = await _client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = _destination.Bucket, Key = _key, UploadId = _uploadId, PartNumber = number,
                InputStream = body, PartSize = length, UseChunkEncoding = false,
            }, cancellationToken).ConfigureAwait(false);
            lock (_parts) _parts.Add(new PartETag(number, response.ETag));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw StorageFailure.Translate(e, _destination, _options.Retry.MaxAttempts, $"uploading part {number} of {_key}");
        }
        finally
        {
            lock (_freeParts) _freeParts.Push(part);
        }
    }

    private byte[] RentPart(int size)
    {
        lock (_freeParts)
        {
            if (_freeParts.TryPop(out var free)) return free;
        }
        return GC.AllocateUninitializedArray<byte>(size);
    }

    public override async Task<StoredObject> CompleteAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in _metadata) all[k] = v;
        foreach (var (k, v) in metadata) all[k] = v;
        try
        {
            if (_uploadId is null)
            {
                var (part, filled) = (_part ?? [], _filled);
                await ConditionalAsync(async (ifNoneMatch, t) =>
                {
                    using var body = new MemoryStream(part, 0, filled, writable: false);
                    var put = new PutObjectRequest
                    {
                        BucketName = _destination.Bucket, Key = _key, InputStream = body, AutoCloseStream = false,
                        ContentType = "application/octet-stream", UseChunkEncoding = false, IfNoneMatch = ifNoneMatch,
                    };
                    foreach (var (k, v) in all) put.Metadata.Add(k, ObjectMetadata.Encode(v));
                    await _client.PutObjectAsync(put, t).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
                _completed = true;
            }
            else
            {
                if (_filled > 0) await SendPartAsync(cancellationToken).ConfigureAwait(false);
                await Task.WhenAll(_inFlight).ConfigureAwait(false);
                _inFlight.Clear();
                var parts = _parts.OrderBy(p => p.PartNumber).ToList();
                await ConditionalAsync((ifNoneMatch, t) => _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = _destination.Bucket, Key = _key, UploadId = _uploadId, PartETags = parts, IfNoneMatch = ifNoneMatch,
                }, t), cancellationToken).ConfigureAwait(false);
                _completed = true;
                var manifest = ObjectMetadata.ToJson(all);
                await _client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _destination.Bucket, Key = _key + ObjectMetadata.SidecarSuffix, InputStream = new MemoryStream(manifest),
                    ContentType = "application/json", UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            // Another backup took the name between the check and now (409: both were completing at once).
            await AbortAsync().ConfigureAwait(false);
            throw new SyncException(SyncErrorKind.StorageFailed,
                $"{_destination.UriOf(_key)} was created by another backup while this one was uploading; this one is not stored (a backup is never replaced).", e, _destination.UriOf(_key));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await AbortAsync().ConfigureAwait(false);
            throw StorageFailure.Translate(e, _destination, _options.Retry.MaxAttempts, $"completing the upload of {_key}");
        }
        catch
        {
            await AbortAsync().ConfigureAwait(false);
            throw;
        }
        Release();
        _finished = true;
        return new StoredObject(_key, BytesWritten, DateTimeOffset.UtcNow, all);
    }

    /// <summary>A write that must not replace an object: with If-None-Match: *, and once more without it
    /// where the store does not implement the header (501).</summary>
    private static async Task ConditionalAsync(Func<string?, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call("*", cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotImplemented)
        {
            await call(null, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task AbortAsync()
    {
        if (_finished) return;
        _finished = true;
        try { await Task.WhenAll(_inFlight).ConfigureAwait(false); } catch { /* the parts' failures are the caller's error already */ }
        _inFlight.Clear();
        Release();
        try
        {
            if (_completed)
            {
                await _client.DeleteObjectAsync(_destination.Bucket, _key + ObjectMetadata.SidecarSuffix, CancellationToken.None).ConfigureAwait(false);
                await _client.DeleteObjectAsync(_destination.Bucket, _key, CancellationToken.None).ConfigureAwait(false);
            }
            else if (_uploadId is not null)
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _destination.Bucket, Key = _key, UploadId = _uploadId },
                    CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            // The store is failing already; the multipart upload stays for its lifecycle rule to clear (never a visible object).
        }
    }

    private void Release()
    {
        _part = null;
        lock (_freeParts) _freeParts.Clear();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished) AbortAsync().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_finished) await AbortAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
