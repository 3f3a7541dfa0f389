namespace DataSyncPS.Engine.DataSnap;

/// <summary>Counters a running send updates and the caller samples (a few times a second) for a
/// progress bar; reading them never blocks an upload. Bytes are those of the files handed to the
/// upload URLs as the PUTs stream; an attempt that did not store its file gives its bytes back.</summary>
public sealed class SendProgress
{
    private readonly List<string> _inFlight = new();
    private long _queued;
    private long _delivered;
    private long _failed;
    private long _bytes;

    /// <summary>Batches handed to the sender so far: the total known.</summary>
    public long Queued => Volatile.Read(ref _queued);
    public long Delivered => Volatile.Read(ref _delivered);
    public long Failed => Volatile.Read(ref _failed);
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>The files being sent now, oldest first.</summary>
    public IReadOnlyList<string> InFlight
    {
        get { lock (_inFlight) return _inFlight.ToArray(); }
    }

    internal void Queue() => Interlocked.Increment(ref _queued);

    internal void Started(string path)
    {
        lock (_inFlight) _inFlight.Add(path);
    }

    /// <param name="delivered">Null when the send was stopped (counted neither way).</param>
    internal void Finished(string path, bool? delivered)
    {
        lock (_inFlight) _inFlight.Remove(path);
        if (delivered == true) Interlocked.Increment(ref _delivered);
        else if (delivered == false) Interlocked.Increment(ref _failed);
    }

    internal void AddBytes(long n) => Interlocked.Add(ref _bytes, n);
}
