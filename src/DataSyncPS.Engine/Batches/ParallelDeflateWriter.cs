using System.IO.Compression;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// One deflate stream in its container (a gzip member, RFC 1952, or a zlib stream, RFC 1950) compressed
/// block by block on several threads, as pigz does: each block is a raw deflate run ended by a sync
/// flush, the runs are written in order, an empty final block closes the stream, and the container's
/// checksum of the uncompressed data ends it. Any reader sees an ordinary single stream. Blocks start
/// without the previous block's dictionary, which costs well under 1% of size at 1 MB per block.
/// </summary>
internal sealed class ParallelDeflateWriter : IDisposable
{
    private const int BlockSize = 1 << 20;

    private readonly Stream _destination;
    private readonly DeflateWorkers _workers;
    private readonly CompressionLevel _level;
    private readonly Queue<DeflateJob> _pending = new();
    private readonly DeflateContainer _container;
    private DeflateJob? _open;
    private bool _finished;

    public ParallelDeflateWriter(Stream destination, DeflateWorkers workers, CompressionLevel level, DeflateContainer? container = null)
    {
        _destination = destination;
        _workers = workers;
        _level = level;
        _container = container ?? DeflateContainer.Gzip();
        _destination.Write(_container.Header);
    }

    /// <summary>Adds a pooled chunk of uncompressed data; the writer owns it from here.</summary>
    public void Add(byte[] chunk, int length)
    {
        _container.Append(chunk.AsSpan(0, length));
        (_open ??= new DeflateJob(_level)).Add(chunk, length);
        if (_open.InputLength >= BlockSize) SubmitOpen();
    }

    /// <summary>Writes every block in order, the final block and the trailer.</summary>
    public void Finish()
    {
        SubmitOpen();
        while (_pending.Count > 0) WriteOldest();
        _destination.Write([0x03, 0x00]); // an empty final block with fixed codes: BFINAL 1, BTYPE 01, end-of-block
        _container.WriteTrailer(_destination);
        _finished = true;
    }

    /// <summary>Abandons what is not written: waits for blocks still being compressed and returns their buffers.</summary>
    public void Dispose()
    {
        _open?.Release();
        _open = null;
        while (_pending.Count > 0) _pending.Dequeue().Release();
        if (!_finished) _finished = true;
    }

    private void SubmitOpen()
    {
        if (_open is null) return;
        _workers.Submit(_open);
        _pending.Enqueue(_open);
        _open = null;
        // Enough blocks in flight to keep every worker busy, few enough to keep memory small.
        while (_pending.Count > 2 * _workers.Count + 1) WriteOldest();
    }

    private void WriteOldest()
    {
        var job = _pending.Peek();
        try { _destination.Write(job.Output()); }
        finally
        {
            _pending.Dequeue();
            job.Release();
        }
    }
}
