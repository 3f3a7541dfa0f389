using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using System.Threading.Channels;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// Rows in, closed batch files out. The producer writes JSON into pooled chunks; a consumer task
/// compresses them into a temporary file, so reading and compressing overlap on two cores. A batch is
/// flushed to disk and renamed into place before <c>commit</c> runs (in batch order, on the consumer),
/// which is where the caller records it and advances its watermark (DESIGN contract 2).
/// </summary>
public sealed class BatchPipeline : IAsyncDisposable
{
    private const int ChunkSize = 256 * 1024;
    private const int ChunksInFlight = 16; // bounds memory at about 4 MB whatever the table size

    private readonly BatchOptions _options;
    private readonly Action<ClosedBatchFile> _commit;
    private readonly CancellationToken _ct;
    private readonly Channel<Item> _channel;
    private readonly Task _consumer;
    private readonly ChunkBuffer _buffer = new(ChunkSize);
    private readonly Utf8JsonWriter _json;

    private long _nextSequence;
    private long _batchRows;
    private long _batchBytes;
    private object? _batchFirstCursor;
    private object? _lastCursor;
    private object? _lastTag;
    private int _rowStart;
    private bool _completed;

    public BatchPipeline(BatchOptions options, long firstSequence, Action<ClosedBatchFile> commit, CancellationToken cancellationToken)
    {
        options.Validate();
        _options = options;
        _commit = commit;
        _ct = cancellationToken;
        _nextSequence = firstSequence;
        Directory.CreateDirectory(options.OutputDirectory);
        _channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(ChunksInFlight) { SingleReader = true, SingleWriter = true });
        _json = new Utf8JsonWriter(_buffer, JsonValueWriter.WriterOptions);
        _consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>Rows written to closed or open batches so far.</summary>
    public long TotalRows { get; private set; }

    /// <summary>Uncompressed JSONL bytes so far.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>The writer for the row being written; call <see cref="EndRow"/> after its object.</summary>
    public Utf8JsonWriter Writer => _json;

    /// <summary>Ends the row just written. <paramref name="cursor"/> is shown as the batch's first/last
    /// cursor; <paramref name="tag"/> (the keyset of the row) is what the batch carries to its commit.</summary>
    public void EndRow(object? cursor = null, object? tag = null)
    {
        _json.Flush();
        _buffer.WriteByte((byte)'\n');
        _json.Reset();
        var rowBytes = _buffer.Length - _rowStart;
        var max = _options.MaxBatchBytes;
        if (max > 0 && rowBytes > max)
            throw new SyncException(SyncErrorKind.RowTooLarge,
                $"A row of stream '{_options.Stream}' is {rowBytes:N0} bytes as JSON, more than -MaxBatchBytes {max:N0}" +
                (cursor is null ? "." : $" (cursor {cursor})."), target: _options.Stream);

        if (max > 0 && _batchRows > 0 && _batchBytes + rowBytes > max)
        {
            // This row starts the next batch; the bytes before it close the current one.
            Send(keepFrom: _rowStart);
            CloseBatch();
        }

        if (_batchRows == 0) _batchFirstCursor = cursor;
        _batchRows++;
        _batchBytes += rowBytes;
        TotalRows++;
        TotalBytes += rowBytes;
        _lastCursor = cursor;
        _lastTag = tag;

        if (_options.BatchSize > 0 && _batchRows >= _options.BatchSize)
        {
            Send();
            CloseBatch();
        }
        else if (_buffer.Length >= ChunkSize)
        {
            Send();
        }
        _rowStart = _buffer.Length;
    }

    /// <summary>Closes the last batch and waits until every batch is on disk and committed.</summary>
    public async Task CompleteAsync()
    {
        if (_completed) return;
        _completed = true;
        if (_batchRows > 0)
        {
            Send();
            CloseBatch();
        }
        _channel.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            // Abandoned (error or Ctrl+C): the open batch is dropped, its temporary file deleted.
            _completed = true;
            _channel.Writer.TryComplete(new OperationCanceledException("The export was abandoned."));
            try { await _consumer.ConfigureAwait(false); } catch { /* the caller already has the real error */ }
        }
        _json.Dispose();
        _buffer.Release();
    }

    private void Send(int keepFrom = -1)
    {
        var (array, length) = _buffer.Detach(ChunkSize, keepFrom);
        _rowStart = 0;
        Write(new Item(array, length, null));
    }

    private void CloseBatch()
    {
        Write(new Item(null, 0, new BatchEnd(_nextSequence++, _batchRows, _batchBytes, _batchFirstCursor, _lastCursor, _lastTag)));
        _batchRows = 0;
        _batchBytes = 0;
        _batchFirstCursor = null;
    }

    private void Write(Item item)
    {
        if (_channel.Writer.TryWrite(item)) return;
        try
        {
            _channel.Writer.WriteAsync(item, _ct).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            if (item.Chunk is not null) ArrayPool<byte>.Shared.Return(item.Chunk);
            // The consumer failed; its exception is the one worth reporting.
            _consumer.GetAwaiter().GetResult();
            throw;
        }
    }

    private async Task ConsumeAsync()
    {
        string? tmp = null;
        FileStream? file = null;
        HashingStream? hashing = null;
        GZipStream? gzip = null;
        try
        {
            await foreach (var item in _channel.Reader.ReadAllAsync(_ct).ConfigureAwait(false))
            {
                // ReadAllAsync checks the token only when it has to wait: without this a stopped export
                // went on compressing, renaming and committing every batch already queued.
                if (_ct.IsCancellationRequested)
                {
                    if (item.Chunk is not null) ArrayPool<byte>.Shared.Return(item.Chunk);
                    _ct.ThrowIfCancellationRequested();
                }
                if (item.Chunk is not null)
                {
                    if (gzip is null) Open(out tmp, out file, out hashing, out gzip);
                    try { gzip.Write(item.Chunk, 0, item.Length); }
                    finally { ArrayPool<byte>.Shared.Return(item.Chunk); }
                    continue;
                }
                var end = item.End!;
                if (gzip is null) Open(out tmp, out file, out hashing, out gzip);
                gzip.Dispose();
                file!.Flush(flushToDisk: true);
                var bytes = file.Length;
                file.Dispose();
                var sha = hashing!.HashHex();
                hashing.Dispose();
                var final = Path.Combine(_options.OutputDirectory, _options.FileName(end.Sequence));
                File.Move(tmp!, final, overwrite: true);
                DirectorySync.Flush(_options.OutputDirectory);
                gzip = null; file = null; hashing = null; tmp = null;
                _commit(new ClosedBatchFile(end.Sequence, final, end.Rows, bytes, end.UncompressedBytes, sha, end.FirstCursor, end.LastCursor, end.Tag));
            }
        }
        catch (Exception ex)
        {
            _channel.Writer.TryComplete(ex);
            // Drain so pooled chunks go back and a blocked producer wakes up.
            while (_channel.Reader.TryRead(out var left)) if (left.Chunk is not null) ArrayPool<byte>.Shared.Return(left.Chunk);
            throw;
        }
        finally
        {
            gzip?.Dispose();
            file?.Dispose();
            hashing?.Dispose();
            if (tmp is not null) TryDelete(tmp);
        }

        void Open(out string? tmpPath, out FileStream? f, out HashingStream? h, out GZipStream g)
        {
            tmpPath = Path.Combine(_options.OutputDirectory, _options.TemporaryFileName());
            f = new FileStream(tmpPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            h = new HashingStream(f);
            g = new GZipStream(h, _options.CompressionLevel, leaveOpen: true);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed record BatchEnd(long Sequence, long Rows, long UncompressedBytes, object? FirstCursor, object? LastCursor, object? Tag);

    private readonly record struct Item(byte[]? Chunk, int Length, BatchEnd? End);
}
