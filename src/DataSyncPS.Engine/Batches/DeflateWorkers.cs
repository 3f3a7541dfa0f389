using System.Buffers;
using System.IO.Compression;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// Threads that compress blocks of a batch side by side. On two cores shared with the database server,
/// one compressing thread was the export's long pole: it got a share of a core, not a core, while the
/// reader and the server ran. Blocks are independent raw deflate runs ended by a sync flush, so their
/// outputs, written in order, are one deflate stream (see <see cref="ParallelDeflateWriter"/>).
/// </summary>
internal sealed class DeflateWorkers : IDisposable
{
    private readonly HandoffQueue<DeflateJob> _jobs;
    private readonly Thread[] _threads;

    public DeflateWorkers(int count)
    {
        _jobs = new HandoffQueue<DeflateJob>(int.MaxValue, CancellationToken.None);
        _threads = new Thread[Math.Max(1, count)];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = "DataSyncPS deflate" };
            _threads[i].Start();
        }
    }

    /// <summary>One per core (at most four): the JSON writer and the server take their share anyway.</summary>
    public static int DefaultCount => Math.Clamp(Environment.ProcessorCount, 1, 4);

    public int Count => _threads.Length;

    public void Submit(DeflateJob job)
    {
        job.Submitted = true;
        if (!_jobs.TryAdd(job, CancellationToken.None))
        {
            job.Submitted = false;
            throw new ObjectDisposedException(nameof(DeflateWorkers));
        }
    }

    public void Dispose()
    {
        _jobs.Complete();
        foreach (var t in _threads) t.Join();
        _jobs.Dispose();
    }

    private void Work()
    {
        while (_jobs.TryTake(out var job, CancellationToken.None)) job.Run();
    }
}

/// <summary>One block of a batch to compress: pooled input chunks (owned from submission until
/// <see cref="Release"/>) and the compressed output.</summary>
internal sealed class DeflateJob
{
    private readonly List<(byte[] Array, int Length)> _input = [];
    private readonly CompressionLevel _level;
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private PooledBufferStream? _output;
    private Exception? _error;

    public DeflateJob(CompressionLevel level) => _level = level;

    public int InputLength { get; private set; }

    /// <summary>Handed to a worker, which will run it: only then is there a result to wait for.</summary>
    public bool Submitted { get; set; }

    /// <summary>Takes ownership of a pooled chunk.</summary>
    public void Add(byte[] chunk, int length)
    {
        _input.Add((chunk, length));
        InputLength += length;
    }

    public void Run()
    {
        try
        {
            _output = new PooledBufferStream(InputLength / 3 + 1024);
            using var deflate = DeflateFactory.Create(_output, _level);
            foreach (var (array, length) in _input) deflate.Write(array, 0, length);
            // A sync flush ends the block on a byte boundary with no final-block bit: the next block's
            // output can follow it directly. Dispose then adds a final block, which is not taken.
            deflate.Flush();
            Compressed = _output.Length;
        }
        catch (Exception ex)
        {
            _error = ex;
        }
        finally
        {
            ReturnInput();
            _done.Set();
        }
    }

    public long Compressed { get; private set; }

    /// <summary>Waits for the block and gives its compressed bytes (valid until <see cref="Release"/>).</summary>
    public ReadOnlySpan<byte> Output()
    {
        _done.Wait();
        if (_error is not null) throw new IOException("Compressing a block of the batch failed: " + _error.Message, _error);
        return _output!.Written[..(int)Compressed];
    }

    /// <summary>Waits for the block (a worker may still hold it) and returns every pooled buffer.</summary>
    public void Release()
    {
        if (Submitted) _done.Wait();
        else ReturnInput();
        _output?.Dispose();
        _done.Dispose();
    }

    private void ReturnInput()
    {
        foreach (var (array, _) in _input) ArrayPool<byte>.Shared.Return(array);
        _input.Clear();
    }
}
