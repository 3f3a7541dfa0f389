namespace DataSyncPS.Engine.Batches;

/// <summary>
/// A small bounded queue between two dedicated threads that block, never spin. Channels and
/// thread-pool continuations woke a pool thread for every 256 KB chunk; the pool's workers spin before
/// they sleep, and on two cores shared with the database server that spinning took as much CPU as the
/// export itself.
/// </summary>
internal sealed class HandoffQueue<T> : IDisposable
{
    private readonly Queue<T> _items = new();
    private readonly int _capacity;
    private readonly CancellationTokenRegistration _wakeOnCancel;
    private bool _completed;

    public HandoffQueue(int capacity, CancellationToken ct)
    {
        _capacity = capacity;
        _wakeOnCancel = ct.Register(() => { lock (_items) Monitor.PulseAll(_items); });
    }

    /// <summary>Adds an item, waiting while the queue is full. False when the queue was completed
    /// (the consumer is gone): the item was not taken.</summary>
    public bool TryAdd(T item, CancellationToken ct)
    {
        lock (_items)
        {
            while (_items.Count >= _capacity && !_completed)
            {
                ct.ThrowIfCancellationRequested();
                Monitor.Wait(_items);
            }
            if (_completed) return false;
            _items.Enqueue(item);
            if (_items.Count == 1) Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>Takes the next item, waiting while the queue is empty. False once the queue is
    /// completed and empty.</summary>
    public bool TryTake(out T item, CancellationToken ct)
    {
        lock (_items)
        {
            while (_items.Count == 0 && !_completed)
            {
                ct.ThrowIfCancellationRequested();
                Monitor.Wait(_items);
            }
            if (_items.Count == 0)
            {
                item = default!;
                return false;
            }
            item = _items.Dequeue();
            if (_items.Count == _capacity - 1) Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>No more items will be added (or taken, when the consumer gives up); wakes both sides.</summary>
    public void Complete()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>Removes what is left (after a failure), so pooled buffers can go back.</summary>
    public List<T> Drain()
    {
        lock (_items)
        {
            var left = _items.ToList();
            _items.Clear();
            Monitor.PulseAll(_items);
            return left;
        }
    }

    public void Dispose() => _wakeOnCancel.Dispose();
}
