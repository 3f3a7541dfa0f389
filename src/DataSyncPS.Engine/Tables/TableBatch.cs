using System.Globalization;
using DataSyncPS.Engine.Export;

namespace DataSyncPS.Engine.Tables;

/// <summary>
/// One batch of <see cref="TableWriter"/>, converted as its records arrive: <see cref="Add"/> turns each
/// part into the target's rows at once (binary COPY bytes on PostgreSQL), so a batch of many thousand
/// records is not held as objects until it is full. Holding them was what cost Write-SyncTable most
/// after Import-Csv: every record survived two or three collections and the GC kept copying them into
/// its oldest generation and collecting that. The columns are fixed when the batch begins (the fields
/// of its first part that the table has); a part with another such field belongs in a new batch
/// (<see cref="Fits"/>). Parts are added one at a time, in order, from any one thread.
/// </summary>
public sealed class TableBatch : IDisposable
{
    private readonly string _table;
    private readonly List<TableColumn> _columns;
    private readonly IReadOnlyList<string> _keys;
    private readonly int[] _keyOrdinals;
    private readonly HashSet<string> _fields;
    private readonly ITableRows _rows;
    // Where each column's value sits in a record, worked out once per shape (records alike share one).
    private readonly Dictionary<RecordShape, int[]> _fieldsOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, int> _byKey = new(RowKeyComparer.Instance);
    private readonly object?[] _keyValues;

    internal TableBatch(long number, string table, List<TableColumn> columns, IReadOnlyList<string> keys, ITableRows rows)
    {
        Number = number;
        _table = table;
        _columns = columns;
        _keys = keys;
        _keyOrdinals = keys.Select(k => columns.FindIndex(c => c.Name == k)).ToArray();
        _keyValues = new object?[_keyOrdinals.Length];
        _fields = new HashSet<string>(columns.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        _rows = rows;
    }

    public long Number { get; }

    /// <summary>Records added so far, written or not.</summary>
    public long Records { get; private set; }

    public long Rejected { get; private set; }

    public long Superseded { get; private set; }

    internal IReadOnlyList<TableColumn> Columns => _columns;

    internal IReadOnlyList<string> Keys => _keys;

    internal ITableRows Rows => _rows;

    /// <summary>Whether every field of <paramref name="part"/> that is one of <paramref name="tableColumns"/>
    /// is a column of this batch (a field the table lacks is the next plan's business).</summary>
    public bool Fits(IReadOnlyList<TableRecord> part, IReadOnlyList<TableColumn> tableColumns)
    {
        var shapes = new HashSet<RecordShape>(ReferenceEqualityComparer.Instance);
        foreach (var record in part)
            if (shapes.Add(record.Shape))
                foreach (var name in record.Shape.Names)
                    if (!_fields.Contains(name) && tableColumns.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
                        return false;
        return true;
    }

    /// <summary>Converts a part of the batch. Records that cannot be written are reported to
    /// <paramref name="observer"/> as item errors (RecordRejected) and left out; the rest go on.</summary>
    public void Add(IReadOnlyList<TableRecord> part, ISyncObserver observer, CancellationToken ct)
    {
        foreach (var record in part)
        {
            ct.ThrowIfCancellationRequested();
            var index = ++Records;
            if (!_fieldsOf.TryGetValue(record.Shape, out var fieldOf))
                _fieldsOf[record.Shape] = fieldOf = _columns.Select(c => record.Shape.IndexOf(c.Name)).ToArray();
            var values = record.Values;
            var problem = KeyProblem(values, fieldOf);
            if (problem is null)
            {
                _rows.BeginRow();
                for (var i = 0; i < _columns.Count; i++)
                {
                    var at = fieldOf[i];
                    try { _rows.Add(at >= 0 ? values[at] : null); }
                    catch (FormatException ex)
                    {
                        problem = $"field '{_columns[i].Name}': {ex.Message} (column {_columns[i].SqlType})";
                        _rows.DiscardRow();
                        break;
                    }
                }
            }
            if (problem is not null)
            {
                Rejected++;
                var who = DescribeKey(record) ?? $"record {index} of batch {Number}";
                observer.ItemError(new SyncException(SyncErrorKind.RecordRejected,
                    $"The record {who} was not written to '{_table}': {problem}.", target: who));
                continue;
            }
            var row = _rows.EndRow();
            var key = _keyValues.Length == 1 ? _keyValues[0]! : _keyValues.Clone();
            if (_byKey.TryGetValue(key, out var earlier))
            {
                _rows.Drop(earlier); // the later record of a key is the newer one
                Superseded++;
            }
            _byKey[key] = row;
        }
    }

    /// <summary>Why a record cannot be written by its key (a key field missing or not fitting its
    /// column), or null with the key's values converted into <see cref="_keyValues"/>.</summary>
    private string? KeyProblem(object?[] values, int[] fieldOf)
    {
        for (var k = 0; k < _keyOrdinals.Length; k++)
        {
            var column = _columns[_keyOrdinals[k]];
            var at = fieldOf[_keyOrdinals[k]];
            if (at < 0 || values[at] is null or DBNull) return $"it has no value for the key field '{column.Name}'";
            try { _keyValues[k] = ColumnValue.Convert(values[at], column.Kind); }
            catch (FormatException ex) { return $"field '{column.Name}': {ex.Message} (column {column.SqlType})"; }
        }
        return null;
    }

    private string? DescribeKey(TableRecord record)
    {
        var parts = new List<string>();
        foreach (var key in _keys)
        {
            if (!record.TryGet(key, out var v) || v is null) return null;
            parts.Add($"{key}={(v is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : v)}");
        }
        return string.Join(", ", parts);
    }

    public void Dispose() => _rows.Dispose();

    /// <summary>Keys as converted values: one value, or the values of a composite key compared one by one.</summary>
    private sealed class RowKeyComparer : IEqualityComparer<object>
    {
        public static readonly RowKeyComparer Instance = new();

        public new bool Equals(object? a, object? b) => a is object?[] x && b is object?[] y
            ? x.Length == y.Length && x.Zip(y).All(p => object.Equals(p.First, p.Second))
            : object.Equals(a, b);

        public int GetHashCode(object key)
        {
            if (key is not object?[] parts) return key.GetHashCode();
            var hash = new HashCode();
            foreach (var part in parts) hash.Add(part);
            return hash.ToHashCode();
        }
    }
}
