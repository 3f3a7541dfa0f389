namespace DataSyncPS.Engine.Plusoft;

/// <summary>Counters a running sync updates and the cmdlet samples a few times a second for its
/// progress bar; reading them never blocks the sync.</summary>
public sealed class PlusoftProgress
{
    private long _read;
    private long _sent;
    private long _delivered;
    private long _rejected;

    /// <summary>Rows read and mapped (ahead of the sends by a batch or two).</summary>
    public long RowsRead => Volatile.Read(ref _read);
    /// <summary>Rows of the batches done, delivered or rejected.</summary>
    public long RowsSent => Volatile.Read(ref _sent);
    public long Delivered => Volatile.Read(ref _delivered);
    public long Rejected => Volatile.Read(ref _rejected);
    public string Activity { get; set; } = "Starting";

    internal void Read(long rows) => Interlocked.Add(ref _read, rows);

    internal void Done(long rows, bool delivered)
    {
        Interlocked.Add(ref _sent, rows);
        Interlocked.Increment(ref delivered ? ref _delivered : ref _rejected);
    }
}
