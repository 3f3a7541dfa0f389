namespace DataSyncPS.Engine.Backup;

/// <summary>What a running backup or restore has done, read by the cmdlet a few times a second.</summary>
public sealed class BackupProgress
{
    private long _toolBytes;
    private long _storedBytes;

    /// <summary>Bytes that came out of the dump tool (or went into the restore tool).</summary>
    public long ToolBytes => Interlocked.Read(ref _toolBytes);
    /// <summary>Bytes written to (or read from) storage.</summary>
    public long StoredBytes => Interlocked.Read(ref _storedBytes);
    public volatile string Phase = "Starting";
    public volatile string? Database;

    internal void AddTool(long n) => Interlocked.Add(ref _toolBytes, n);
    internal void AddStored(long n) => Interlocked.Add(ref _storedBytes, n);
    internal void Reset()
    {
        Interlocked.Exchange(ref _toolBytes, 0);
        Interlocked.Exchange(ref _storedBytes, 0);
    }
}
