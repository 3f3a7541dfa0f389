namespace DataSyncPS.Engine.Storage;

/// <summary>
/// A write-only stream that becomes one object only when <see cref="CompleteAsync"/> succeeds.
/// Anything else — an exception, <see cref="AbortAsync"/>, disposing without completing — leaves no
/// object behind (a multipart upload is aborted, a partial file deleted).
/// </summary>
public abstract class ObjectUpload : Stream
{
    /// <summary>Bytes handed to the store so far (sent or buffered).</summary>
    public long BytesWritten { get; protected set; }

    /// <summary>Makes the object, with <paramref name="metadata"/> (known only now: size, SHA-256) added to what it was opened with.</summary>
    public abstract Task<StoredObject> CompleteAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>Discards everything written; never throws.</summary>
    public abstract Task AbortAsync();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => BytesWritten;
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
