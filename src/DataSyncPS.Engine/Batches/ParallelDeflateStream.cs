using System.Buffers;
using System.IO.Compression;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// <see cref="ParallelDeflateWriter"/> as a write-only stream, for data that comes as bytes rather than as
/// the batch pipeline's pooled chunks (a dump tool's output): bytes are gathered into pooled chunks and
/// compressed in blocks on every core, by workers of its own or shared ones. Writes block (compressed
/// blocks are written to the destination as they come, in order), so it is written from a thread of its
/// own, not a pool thread. <see cref="Finish"/> ends the stream; disposing without it abandons the data.
/// </summary>
internal sealed class ParallelDeflateStream : Stream
{
    private const int ChunkSize = 256 * 1024;

    private readonly DeflateWorkers _workers;
    private readonly bool _ownsWorkers;
    private readonly ParallelDeflateWriter _gzip;
    private byte[]? _chunk;
    private int _filled;
    private long _written;
    private bool _disposed;

    /// <summary>A gzip member (or <paramref name="container"/>), compressed by <paramref name="workers"/>
    /// (which the caller keeps) or by workers of its own.</summary>
    public ParallelDeflateStream(Stream destination, CompressionLevel level, DeflateContainer? container = null, DeflateWorkers? workers = null)
    {
        _ownsWorkers = workers is null;
        _workers = workers ?? new DeflateWorkers(DeflateWorkers.DefaultCount);
        try
        {
            _gzip = new ParallelDeflateWriter(destination, _workers, level, container);
        }
        catch
        {
            if (_ownsWorkers) _workers.Dispose();
            throw;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!data.IsEmpty)
        {
            _chunk ??= ArrayPool<byte>.Shared.Rent(ChunkSize);
            var n = Math.Min(ChunkSize - _filled, data.Length);
            data[..n].CopyTo(_chunk.AsSpan(_filled));
            _filled += n;
            _written += n;
            data = data[n..];
            if (_filled == ChunkSize) Hand();
        }
    }

    /// <summary>Compresses what is left and writes the end of the stream.</summary>
    public void Finish()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_filled > 0) Hand();
        _gzip.Finish();
    }

    private void Hand()
    {
        var (chunk, length) = (_chunk!, _filled);
        _chunk = null;
        _filled = 0;
        _gzip.Add(chunk, length); // the writer owns the chunk from here
    }

    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _gzip.Dispose();
            if (_chunk is not null) ArrayPool<byte>.Shared.Return(_chunk);
            _chunk = null;
            if (_ownsWorkers) _workers.Dispose();
        }
        base.Dispose(disposing);
    }
}
