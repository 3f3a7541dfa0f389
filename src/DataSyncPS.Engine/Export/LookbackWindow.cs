namespace DataSyncPS.Engine.Export;

/// <summary>
/// The look-back rule of incremental reads (Export-SyncBatch -LookbackSeconds, Sync-Plusoft's
/// LookbackDays): rows committed late, with a cursor at or before the watermark, are caught by
/// re-reading from the watermark's cursor minus the window (cursor &gt;= start, then the keyset walk
/// goes on past the watermark as usual). What was re-read is sent again; the receiver keeps one copy
/// per key. Only date and time cursors have a window; a date is moved back whole days, at least as far
/// as asked.
/// </summary>
public static class LookbackWindow
{
    /// <summary>Where the re-read starts, or null (with a warning) when the cursor is not a date or time.</summary>
    public static object? Start(object cursor, TimeSpan window, string option, Action<string> warn)
    {
        switch (cursor)
        {
            case DateTime dt: return dt - window;
            case DateTimeOffset dto: return dto - window;
            case DateOnly d: return DateOnly.FromDateTime(d.ToDateTime(TimeOnly.MinValue) - window);
            default:
                warn($"{option} applies to date and time cursors; the cursor is a {cursor.GetType().Name}, so no rows are re-read.");
                return null;
        }
    }

    /// <summary>Whether a row's cursor is at or before the watermark's: a row of the window, read again
    /// (or one that came late).</summary>
    public static bool Covers(object watermarkCursor, object rowCursor) =>
        rowCursor.GetType() == watermarkCursor.GetType() && rowCursor is IComparable c && c.CompareTo(watermarkCursor) <= 0;
}
