using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace DataSyncPS.Engine.Storage;

/// <summary>AWS S3, Cloudflare R2 and S3-compatible stores, through AWSSDK.S3.</summary>
public sealed class S3Storage : IBackupStorage
{
    private readonly AmazonS3Client _client;
    private readonly StorageOptions _options;

    public S3Storage(BackupDestination destination, StorageOptions options)
    {
        Destination = destination;
        _options = options;
        _client = S3ClientFactory.Create(destination, options);
    }

    public BackupDestination Destination { get; }
    private string Bucket => Destination.Bucket!;

    public Task<ObjectUpload> OpenWriteAsync(string key, IReadOnlyDictionary<string, string> metadata, long? expectedBytes, CancellationToken cancellationToken) =>
        Task.FromResult<ObjectUpload>(new S3MultipartUpload(_client, Destination, key, metadata, _options,
            PartSizing.Choose(_options.PartSize, expectedBytes, _options.MaxParts)));

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
            return new ResponseStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            throw new SyncException(SyncErrorKind.PathNotFound, $"There is no backup {Destination.UriOf(key)}.", e, Destination.UriOf(key));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw StorageFailure.Translate(e, Destination, _options.Retry.MaxAttempts, $"reading {key}");
        }
    }

    public async Task<StoredObject?> DescribeAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var r = await _client.GetObjectMetadataAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
            var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var k in r.Metadata.Keys)
                metadata[k.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase) ? k["x-amz-meta-".Length..] : k] = ObjectMetadata.Decode(r.Metadata[k]);
            if (r.ContentLength > 0 && !metadata.ContainsKey("sha256"))
                foreach (var (k, v) in await SidecarAsync(key, cancellationToken).ConfigureAwait(false)) metadata.TryAdd(k, v);
            return new StoredObject(key, r.ContentLength, r.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : default, metadata);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw StorageFailure.Translate(e, Destination, _options.Retry.MaxAttempts, $"reading the metadata of {key}");
        }
    }

    private async Task<Dictionary<string, string>> SidecarAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var r = await _client.GetObjectAsync(Bucket, key + ObjectMetadata.SidecarSuffix, cancellationToken).ConfigureAwait(false);
            using var m = new MemoryStream();
            await r.ResponseStream.CopyToAsync(m, cancellationToken).ConfigureAwait(false);
            return ObjectMetadata.FromJson(m.ToArray());
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return new Dictionary<string, string>();
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = keyPrefix, ContinuationToken = token },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw StorageFailure.Translate(e, Destination, _options.Retry.MaxAttempts, $"listing {keyPrefix}");
            }
            foreach (var o in page.S3Objects ?? [])
            {
                if (o.Key.EndsWith(ObjectMetadata.SidecarSuffix, StringComparison.Ordinal)) continue;
                yield return new StoredObject(o.Key, o.Size ?? 0,
                    o.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : default, ObjectMetadata.None);
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(Bucket, key + ObjectMetadata.SidecarSuffix, cancellationToken).ConfigureAwait(false);
            await _client.DeleteObjectAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw StorageFailure.Translate(e, Destination, _options.Retry.MaxAttempts, $"deleting {key}");
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The object's body; disposing it closes the response.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _inner = response.ResponseStream;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) response.Dispose();
            base.Dispose(disposing);
        }
    }
}
