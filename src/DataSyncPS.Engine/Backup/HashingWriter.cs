using System.Security.Cryptography;

namespace DataSyncPS.Engine.Backup;

/// <summary>Write-only pass-through that hashes (SHA-256) and counts the stored bytes, and copies them
/// to a local file when asked (-KeepLocalCopy). Its synchronous Write (the dump copy and gzip threads
/// write that way) waits for the store with the run's <paramref name="cancellation"/>, so a stop
/// reaches an upload it is waiting for.</summary>
internal sealed class HashingWriter(Stream inner, Stream? copy, BackupProgress progress, CancellationToken cancellation) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesWritten { get; private set; }

    public string HashHex() => Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        var upload = inner.WriteAsync(buffer, cancellationToken);
        if (copy is not null) await copy.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await upload.ConfigureAwait(false);
        BytesWritten += buffer.Length;
        progress.AddStored(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count), cancellation).AsTask().GetAwaiter().GetResult();
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => BytesWritten;
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
