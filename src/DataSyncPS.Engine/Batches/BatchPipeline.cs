using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text.Json;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// Rows in, closed batch files out. The producer writes JSON into pooled chunks; a consumer thread of
/// its own has them compressed (in blocks, on every core: <see cref="ParallelDeflateWriter"/>) into a
/// temporary file, so reading and compressing overlap. A batch is
/// flushed to disk and renamed into place before <c>commit</c> runs (in batch order, on the consumer),
/// which is where the caller records it and advances its watermark (DESIGN contract 2).
/// </summary>
public sealed class BatchPipeline : IAsyncDisposable
{
    private const int ChunkSize = 256 * 1024;
    private const int ChunksInFlight = 16; // bounds memory at about 4 MB whatever the table size

    private readonly BatchOptions _options;
    private readonly Action<ClosedBatchFile> _commit;
    private readonly Action<string>? _onNameTaken;
    private readonly CancellationToken _ct;
    private readonly HandoffQueue<Item> _queue;
    private readonly TaskCompletionSource _consumer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ChunkBuffer _buffer = new(ChunkSize);
    private readonly Utf8JsonWriter _json;

    private long _nextSequence; // used by the consumer only: a batch gets its sequence with its file name
    private long _batchRows;
    private long _batchBytes;
    private object? _batchFirstCursor;
    private object? _lastCursor;
    private object? _lastTag;
    private int _rowStart;
    private bool _completed;

    /// <param name="onNameTaken">Told of each batch file name found already taken (and skipped).</param>
    public BatchPipeline(BatchOptions options, long firstSequence, Action<ClosedBatchFile> commit, CancellationToken cancellationToken,
        Action<string>? onNameTaken = null)
    {
        options.Validate();
        _options = options;
        _commit = commit;
        _onNameTaken = onNameTaken;
        _ct = cancellationToken;
        _nextSequence = firstSequence;
        try { Directory.CreateDirectory(options.OutputDirectory); }
        catch (Exception ex) when (OutputFailure.From(ex, options.OutputDirectory) is { } failure) { throw failure; }
        _queue = new HandoffQueue<Item>(ChunksInFlight, cancellationToken);
        _json = new Utf8JsonWriter(_buffer, JsonValueWriter.WriterOptions);
        new Thread(Consume) { IsBackground = true, Name = "DataSyncPS batch compression" }.Start();
    }

    /// <summary>Rows written to closed or open batches so far.</summary>
    public long TotalRows { get; private set; }

    /// <summary>Uncompressed JSONL bytes so far.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>The writer for the row being written; call <see cref="EndRow"/> after its object.</summary>
    public Utf8JsonWriter Writer => _json;

    /// <summary>Ends the row just written. <paramref name="cursor"/> is shown as the batch's first/last
    /// cursor; <paramref name="tag"/> (the keyset of the row) is what the batch carries to its commit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        _queue.Complete();
        await _consumer.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            // Abandoned (error or Ctrl+C): the open batch is dropped, its temporary file deleted.
            _completed = true;
            // Batches already closed are still written and committed (their rows were read whole); the
            // open one has no end in the queue, so its temporary file is deleted when the queue runs dry.
            _queue.Complete();
            try { await _consumer.Task.ConfigureAwait(false); } catch { /* the caller already has the real error */ }
        }
        _queue.Dispose();
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
        Write(new Item(null, 0, new BatchEnd(_batchRows, _batchBytes, _batchFirstCursor, _lastCursor, _lastTag)));
        _batchRows = 0;
        _batchBytes = 0;
        _batchFirstCursor = null;
    }

    private void Write(Item item)
    {
        bool added;
        try { added = _queue.TryAdd(item, _ct); }
        catch (OperationCanceledException)
        {
            if (item.Chunk is not null) ArrayPool<byte>.Shared.Return(item.Chunk);
            throw;
        }
        if (added) return;
        if (item.Chunk is not null) ArrayPool<byte>.Shared.Return(item.Chunk);
        // The consumer failed; its exception is the one worth reporting.
        _consumer.Task.GetAwaiter().GetResult();
        throw new InvalidOperationException("The batch compression thread stopped.");
    }

    private void Consume()
    {
        try
        {
            ConsumeItems();
            _consumer.TrySetResult();
        }
        catch (Exception ex)
        {
            _consumer.TrySetException(ex);
        }
    }

    private void ConsumeItems()
    {
        string? tmp = null;
        FileStream? file = null;
        HashingStream? hashing = null;
        ParallelDeflateWriter? gzip = null;
        using var workers = new DeflateWorkers(DeflateWorkers.DefaultCount);
        try
        {
            while (_queue.TryTake(out var item, _ct))
            {
                // Checked per item, not only when waiting: a stopped export must not go on compressing,
                // renaming and committing every batch already queued.
                if (_ct.IsCancellationRequested)
                {
                    if (item.Chunk is not null) ArrayPool<byte>.Shared.Return(item.Chunk);
                    _ct.ThrowIfCancellationRequested();
                }
                if (item.Chunk is not null)
                {
                    if (gzip is null)
                    {
                        try { Open(out tmp, out file, out hashing, out gzip); }
                        catch { ArrayPool<byte>.Shared.Return(item.Chunk); throw; }
                    }
                    gzip!.Add(item.Chunk, item.Length); // the writer owns the chunk from here
                    continue;
                }
                var end = item.End!;
                if (gzip is null) Open(out tmp, out file, out hashing, out gzip);
                gzip!.Finish();
                gzip.Dispose();
                file!.Flush(flushToDisk: true);
                var bytes = file.Length;
                file.Dispose();
                var sha = hashing!.HashHex();
                hashing.Dispose();
                var (sequence, final) = MoveIntoPlace(tmp!);
                DirectorySync.Flush(_options.OutputDirectory);
                gzip = null; file = null; hashing = null; tmp = null;
                _commit(new ClosedBatchFile(sequence, final, end.Rows, bytes, end.UncompressedBytes, sha, end.FirstCursor, end.LastCursor, end.Tag));
            }
        }
        catch (Exception ex)
        {
            var failure = OutputFailure.From(ex, _options.OutputDirectory, tmp) ?? ex;
            _queue.Complete();
            // Drain so pooled chunks go back and a blocked producer wakes up.
            foreach (var left in _queue.Drain()) if (left.Chunk is not null) ArrayPool<byte>.Shared.Return(left.Chunk);
            if (ReferenceEquals(failure, ex)) throw;
            throw failure;
        }
        finally
        {
            // Each step on its own: on a full disk the last writes fail too, and the temporary file must still go.
            TryDispose(gzip);
            TryDispose(file);
            TryDispose(hashing);
            if (tmp is not null) TryDelete(tmp);
        }

        void Open(out string? tmpPath, out FileStream? f, out HashingStream? h, out ParallelDeflateWriter g)
        {
            tmpPath = Path.Combine(_options.OutputDirectory, _options.TemporaryFileName());
            f = new FileStream(tmpPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            h = new HashingStream(f);
            g = new ParallelDeflateWriter(h, workers, _options.CompressionLevel);
        }
    }

    /// <summary>Renames a finished batch to the stream's next free name. A batch file is created, never
    /// replaced (DESIGN contract 10): a name already taken — by a run that crashed after its rename and
    /// before its commit, or by another state store's stream sharing the folder — is left untouched and
    /// the sequence moves on.</summary>
    private (long Sequence, string Path) MoveIntoPlace(string tmp)
    {
        for (var tries = 0; ; tries++)
        {
            var sequence = _nextSequence++;
            var final = Path.Combine(_options.OutputDirectory, _options.FileName(sequence));
            if (!File.Exists(final))
            {
                try
                {
                    File.Move(tmp, final, overwrite: false);
                    return (sequence, final);
                }
                catch (IOException) when (File.Exists(final) && File.Exists(tmp)) { /* taken meanwhile */ }
            }
            _onNameTaken?.Invoke(final);
            if (tries >= 1000)
                throw new SyncException(SyncErrorKind.OutputNotWritable,
                    $"The output folder '{_options.OutputDirectory}' already holds 1,000 files named like the next batches of stream '{_options.Stream}'; " +
                    "give this stream a folder of its own.", target: _options.OutputDirectory);
        }
    }

    private static void TryDispose(IDisposable? d)
    {
        try { d?.Dispose(); } catch (IOException) { } catch (ObjectDisposedException) { }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed record BatchEnd(long Rows, long UncompressedBytes, object? FirstCursor, object? LastCursor, object? Tag);

    private readonly record struct Item(byte[]? Chunk, int Length, BatchEnd? End);
}
