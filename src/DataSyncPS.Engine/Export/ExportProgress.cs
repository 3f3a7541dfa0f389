namespace DataSyncPS.Engine.Export;

/// <summary>Counters a running export updates and the caller samples (a few times a second) for a
/// progress bar; reading them never blocks the export.</summary>
public sealed class ExportProgress
{
    private long _rows;
    private long _bytes;
    private long _batches;

    public long Rows => Volatile.Read(ref _rows);
    public long Bytes => Volatile.Read(ref _bytes);
    public long Batches => Volatile.Read(ref _batches);
    public string Activity { get; set; } = "Starting";

    internal void SetRows(long rows, long bytes)
    {
        Volatile.Write(ref _rows, rows);
        Volatile.Write(ref _bytes, bytes);
    }

    internal void BatchDone() => Interlocked.Increment(ref _batches);
}
