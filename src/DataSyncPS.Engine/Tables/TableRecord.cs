namespace DataSyncPS.Engine.Tables;

/// <summary>A record as the writer takes it: field names and plain .NET values (nested objects as
/// dictionaries, arrays as lists), in the order they came. The cmdlet layer makes these from PowerShell objects.</summary>
public sealed class TableRecord(IReadOnlyList<KeyValuePair<string, object?>> fields)
{
    public IReadOnlyList<KeyValuePair<string, object?>> Fields { get; } = fields;

    /// <summary>The value of a field by name, case-insensitively, as PowerShell property names match.</summary>
    public bool TryGet(string name, out object? value)
    {
        foreach (var (k, v) in Fields)
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        value = null;
        return false;
    }
}
