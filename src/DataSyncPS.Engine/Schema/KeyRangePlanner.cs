using System.Data.Common;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>Splits a table into key ranges on the source server, never with OFFSET: a one-column integer
/// key by its MIN and MAX (two index lookups), any other key by quantiles of the key index (one scan,
/// ROW_NUMBER over the key order). At least one range per worker, and about one per
/// <c>rowsPerRange</c> rows, so a resumed copy redoes little.</summary>
internal static partial class KeyRangePlanner
{
    /// <summary>More ranges than this only add queries: a range is already a fraction of a huge table.</summary>
    private const int MaxRanges = 1000;

    public static async Task<IReadOnlyList<KeyRange>> PlanAsync(SqlDialect dialect, DbConnection source, DbTable table, int workers, long rowsPerRange,
        CancellationToken ct)
    {
        var key = table.PrimaryKey?.Columns ?? [];
        if (key.Count == 0 || (workers <= 1 && rowsPerRange <= 0)) return [KeyRange.Whole];
        var quoted = key.Select(dialect.QuoteIdentifier).ToList();
        var name = dialect.QuoteTable(table.TableName);
        var column = table.Columns.FirstOrDefault(c => c.Name == key[0]);
        var bounds = key.Count == 1 && column is not null && IntegerType().IsMatch(column.Type)
            ? await IntegerBoundsAsync(source, quoted[0], name, workers, rowsPerRange, ct).ConfigureAwait(false)
            : await QuantileBoundsAsync(dialect, source, quoted, name, workers, rowsPerRange, ct).ConfigureAwait(false);
        var ranges = new List<KeyRange>(bounds.Count + 1);
        object?[]? lower = null;
        foreach (var upper in bounds)
        {
            ranges.Add(new KeyRange(ranges.Count, lower, upper));
            lower = upper;
        }
        ranges.Add(new KeyRange(ranges.Count, lower, null));
        return ranges;
    }

    private static int RangeCount(BigInteger rows, int workers, long rowsPerRange)
    {
        var wanted = rowsPerRange > 0 ? (rows + rowsPerRange - 1) / rowsPerRange : BigInteger.One;
        return (int)BigInteger.Min(MaxRanges, BigInteger.Max(workers, wanted));
    }

    /// <summary>Upper bounds spaced evenly between MIN and MAX (the span stands for the row count: keys
    /// of this kind are mostly dense; sparse ones only make ranges lighter).</summary>
    private static async Task<List<object?[]>> IntegerBoundsAsync(DbConnection source, string column, string table, int workers, long rowsPerRange, CancellationToken ct)
    {
        await using var cmd = source.CreateCommand();
        cmd.CommandText = $"SELECT MIN({column}), MAX({column}) FROM {table}";
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        if (r.IsDBNull(0)) return [];
        var min = Integer(r.GetValue(0));
        var max = Integer(r.GetValue(1));
        var span = max - min + 1;
        var count = RangeCount(span, workers, rowsPerRange);
        var bounds = new List<object?[]>();
        for (var i = 1; i < count; i++)
        {
            var bound = min + span * i / count - 1;
            if (bounds.Count == 0 || Integer(bounds[^1][0]!) < bound) bounds.Add([Narrow(bound)]);
        }
        return bounds;
    }

    /// <summary>The key of every n-th row in key order, n chosen from the row count in the same query.</summary>
    private static async Task<List<object?[]>> QuantileBoundsAsync(SqlDialect dialect, DbConnection source, IReadOnlyList<string> key, string table, int workers,
        long rowsPerRange, CancellationToken ct)
    {
        await using var cmd = source.CreateCommand();
        cmd.CommandText = QuantileSql(dialect, key, table, workers, rowsPerRange);
        var bounds = new List<object?[]>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var bound = new object?[key.Count];
            for (var i = 0; i < bound.Length; i++) bound[i] = r.GetValue(i);
            bounds.Add(bound);
        }
        return bounds;
    }

    /// <summary>The query for every step-th key. Written in what all three engines take: % (SQL Server has no
    /// MOD), CASE for the smaller of two (LEAST is SQL Server 2022's), and integer division as / except on
    /// MySQL, whose / gives a decimal and DIV divides integers.</summary>
    internal static string QuantileSql(SqlDialect dialect, IReadOnlyList<string> key, string table, int workers, long rowsPerRange)
    {
        var keys = string.Join(", ", key);
        var aliases = string.Join(", ", key.Select((_, i) => "k" + i));
        string Div(string a, string b) => dialect.Kind is ProviderKind.MySql or ProviderKind.MariaDb ? $"({a}) DIV ({b})" : $"({a}) / ({b})";
        // A range of about rowsPerRange rows, or a worker's share when that is smaller: step = min(rowsPerRange, ceil(n / workers)).
        var perWorker = Div($"n + {workers - 1}", workers.ToString(CultureInfo.InvariantCulture));
        var step = rowsPerRange > 0 ? $"(CASE WHEN {rowsPerRange} < {perWorker} THEN {rowsPerRange} ELSE {perWorker} END)" : perWorker;
        var everyStep = $"rn % ({step}) = 0 AND rn < n AND {Div("rn", step)} < {MaxRanges}";
        return $"""
            SELECT {aliases} FROM (
              SELECT {string.Join(", ", key.Select((k, i) => k + " AS k" + i))}, ROW_NUMBER() OVER (ORDER BY {keys}) AS rn, COUNT(*) OVER () AS n FROM {table}
            ) q WHERE {everyStep} ORDER BY rn
            """;
    }

    private static BigInteger Integer(object value) => value switch
    {
        ulong u => u,
        decimal d => new BigInteger(d),
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    private static object Narrow(BigInteger v) => v >= long.MinValue && v <= long.MaxValue ? (long)v : (object)(ulong)v;

    [GeneratedRegex(@"^(tinyint|smallint|mediumint|int|integer|bigint)( unsigned)?( zerofill)?$", RegexOptions.IgnoreCase)]
    private static partial Regex IntegerType();
}
