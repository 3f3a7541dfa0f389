using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// One gzip member (RFC 1952) whose deflate data is compressed block by block on several threads, as
/// pigz does: each block is a raw deflate run ended by a sync flush, the runs are written in order, an
/// empty final block closes the stream, and the CRC-32 and size of the uncompressed data end the
/// member. Any gzip reader sees an ordinary single-member file. Blocks start without the previous
/// block's dictionary, which costs well under 1% of size at 1 MB per block.
/// </summary>
internal sealed class ParallelGzipWriter : IDisposable
{
    private const int BlockSize = 1 << 20;

    private readonly Stream _destination;
    private readonly DeflateWorkers _workers;
    private readonly CompressionLevel _level;
    private readonly Queue<DeflateJob> _pending = new();
    private readonly Crc32 _crc = new();
    private DeflateJob? _open;
    private long _size;
    private bool _finished;

    public ParallelGzipWriter(Stream destination, DeflateWorkers workers, CompressionLevel level)
    {
        _destination = destination;
        _workers = workers;
        _level = level;
        // ID1 ID2, CM = deflate, no flags, no mtime, no extra flags, OS = unknown.
        _destination.Write([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    }

    /// <summary>Adds a pooled chunk of uncompressed data; the writer owns it from here.</summary>
    public void Add(byte[] chunk, int length)
    {
        _crc.Append(chunk.AsSpan(0, length));
        _size += length;
        (_open ??= new DeflateJob(_level)).Add(chunk, length);
        if (_open.InputLength >= BlockSize) SubmitOpen();
    }

    /// <summary>Writes every block in order, the final block and the trailer.</summary>
    public void Finish()
    {
        SubmitOpen();
        while (_pending.Count > 0) WriteOldest();
        _destination.Write([0x03, 0x00]); // an empty final block with fixed codes: BFINAL 1, BTYPE 01, end-of-block
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_size));
        _destination.Write(trailer);
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
