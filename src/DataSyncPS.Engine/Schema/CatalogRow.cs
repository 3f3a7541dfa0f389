using System.Data.Common;
using System.Globalization;

namespace DataSyncPS.Engine.Schema;

/// <summary>Runs one catalog query. A reader that asks through this needs no server in its tests: they
/// answer with rows of their own.</summary>
internal delegate Task<IReadOnlyList<CatalogRow>> CatalogQuery(string sql, CancellationToken ct);

/// <summary>One row of a catalog query, read by column name, so a query's select list and the mapping
/// that reads it cannot drift apart by position.</summary>
internal sealed class CatalogRow
{
    private readonly IReadOnlyDictionary<string, int> _ordinals;
    private readonly object?[] _values;

    private CatalogRow(IReadOnlyDictionary<string, int> ordinals, object?[] values)
    {
        _ordinals = ordinals;
        _values = values;
    }

    /// <summary>A row from values by column name (tests; DBNull and null are both NULL).</summary>
    public static CatalogRow Of(params (string Column, object? Value)[] values) => new(
        values.Select((v, i) => (v.Column, i)).ToDictionary(x => x.Column, x => x.i, StringComparer.OrdinalIgnoreCase),
        values.Select(v => v.Value is DBNull ? null : v.Value).ToArray());

    public IEnumerable<string> Columns => _ordinals.Keys;

    public object? this[string column] => _ordinals.TryGetValue(column, out var i)
        ? _values[i]
        : throw new KeyNotFoundException($"The catalog query has no column '{column}'.");

    public string? Text(string column) => CatalogReading.Text(this[column]);

    /// <summary>A value that is never NULL (a name).</summary>
    public string Name(string column) => Text(column) ?? throw new InvalidOperationException($"The catalog gave no {column}.");

    /// <summary>A bit; NULL (an outer join that found nothing) is false.</summary>
    public bool Flag(string column) => this[column] is { } v && Convert.ToBoolean(v, CultureInfo.InvariantCulture);

    public int Int(string column) => Convert.ToInt32(this[column] ?? 0, CultureInfo.InvariantCulture);

    public static async Task<IReadOnlyList<CatalogRow>> ReadAllAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < r.FieldCount; i++) ordinals[r.GetName(i)] = i;
        var rows = new List<CatalogRow>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var values = new object?[r.FieldCount];
            for (var i = 0; i < values.Length; i++) values[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(new CatalogRow(ordinals, values));
        }
        return rows;
    }
}
