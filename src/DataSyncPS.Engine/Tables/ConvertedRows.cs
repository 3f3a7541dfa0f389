namespace DataSyncPS.Engine.Tables;

/// <summary>Rows as converted .NET values (<see cref="ColumnValue.Convert"/>), for a target whose bulk
/// loader takes objects (MySqlBulkCopy).</summary>
internal sealed class ConvertedRows(IReadOnlyList<TableColumn> columns) : ITableRows
{
    private readonly List<object?[]?> _rows = new();
    private object?[]? _row;
    private int _column;
    private int _dropped;

    public void BeginRow()
    {
        _row = new object?[columns.Count];
        _column = 0;
    }

    public void Add(object? value)
    {
        var i = _column++;
        _row![i] = ColumnValue.Convert(value, columns[i].Kind);
    }

    public void DiscardRow() => _row = null;

    public int EndRow()
    {
        _rows.Add(_row);
        _row = null;
        return _rows.Count - 1;
    }

    public void Drop(int row)
    {
        if (_rows[row] is null) return;
        _rows[row] = null;
        _dropped++;
    }

    public int Count => _rows.Count - _dropped;

    public IEnumerable<object?[]> Rows => _rows.Where(r => r is not null)!;

    public void Dispose() { }
}
