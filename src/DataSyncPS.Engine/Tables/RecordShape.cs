namespace DataSyncPS.Engine.Tables;

/// <summary>The field names of records that share them, in order. Records of one shape share one
/// instance, so the writer matches fields to columns once per shape and batch, never per record.</summary>
public sealed class RecordShape
{
    private readonly Dictionary<string, int> _index;

    public RecordShape(IReadOnlyList<string> names)
    {
        Names = names;
        _index = new Dictionary<string, int>(names.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++) _index.TryAdd(names[i], i); // the first of two spellings wins, as before
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>The position of a field, matched case-insensitively as PowerShell property names are; -1 when absent.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;
}
