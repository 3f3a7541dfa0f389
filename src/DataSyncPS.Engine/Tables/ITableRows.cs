namespace DataSyncPS.Engine.Tables;

/// <summary>A batch's rows as a target stages them, filled one value at a time in the columns' order.
/// Each value is converted to its column's kind as it is added (a <see cref="FormatException"/> when it
/// does not fit, after which the row is discarded), so a bad record costs only its own row.</summary>
internal interface ITableRows : IDisposable
{
    void BeginRow();

    /// <summary>The next column's value (null for SQL NULL).</summary>
    void Add(object? value);

    /// <summary>Forgets the row begun last.</summary>
    void DiscardRow();

    /// <summary>Keeps the row begun last; returns its number in the batch.</summary>
    int EndRow();

    /// <summary>Leaves out a kept row (a later record of the same key replaces it).</summary>
    void Drop(int row);

    /// <summary>Rows kept and not dropped.</summary>
    int Count { get; }
}
