namespace DataSyncPS.Engine.Schema;

/// <summary>Where a copy is, written by the engine and read a few times a second by the cmdlet's progress bar.</summary>
public sealed class CopyProgress
{
    private long _rows;

    public volatile string? Activity;
    public volatile string? Table;
    public int TableIndex;
    public int TableCount;
    public long TableRows => Interlocked.Read(ref _rows);
    public System.Diagnostics.Stopwatch TableClock { get; } = new();

    internal void StartTable(string table, int index, int count)
    {
        Table = table;
        TableIndex = index;
        TableCount = count;
        Interlocked.Exchange(ref _rows, 0);
        TableClock.Restart();
    }

    /// <summary>Rows just loaded (by any of a table's workers).</summary>
    internal void AddRows(long rows) => Interlocked.Add(ref _rows, rows);
}
