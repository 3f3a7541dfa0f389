namespace DataSyncPS.Engine.Tables;

/// <summary>A record as the writer takes it: its shape (field names, shared by records alike) and
/// plain .NET values in the same order (nested objects as dictionaries, arrays as lists). The cmdlet
/// layer makes these from PowerShell objects.</summary>
public sealed class TableRecord
{
    public TableRecord(RecordShape shape, object?[] values)
    {
        if (values.Length != shape.Names.Count) throw new ArgumentException("One value per field of the shape.", nameof(values));
        Shape = shape;
        Values = values;
    }

    /// <summary>A record of its own shape (tests, one-off records).</summary>
    public TableRecord(IReadOnlyList<KeyValuePair<string, object?>> fields)
        : this(new RecordShape(fields.Select(f => f.Key).ToList()), fields.Select(f => f.Value).ToArray())
    {
    }

    public RecordShape Shape { get; }

    public object?[] Values { get; }

    public IEnumerable<KeyValuePair<string, object?>> Fields => Shape.Names.Select((n, i) => new KeyValuePair<string, object?>(n, Values[i]));

    /// <summary>The value of a field by name, case-insensitively, as PowerShell property names match.</summary>
    public bool TryGet(string name, out object? value)
    {
        var i = Shape.IndexOf(name);
        value = i >= 0 ? Values[i] : null;
        return i >= 0;
    }
}
