using System.Globalization;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Schema;

/// <summary>A slice of a table by its primary key: the keys above <see cref="Lower"/> (exclusive) up to
/// <see cref="Upper"/> (inclusive). A null bound is open, so the first and last ranges of a plan also
/// take keys below or above any there were when it was made, and a plan's ranges hold every key once.</summary>
internal sealed record KeyRange(int Index, object?[]? Lower, object?[]? Upper)
{
    /// <summary>The whole table as one range.</summary>
    public static KeyRange Whole { get; } = new(0, null, null);

    public bool IsWhole => Lower is null && Upper is null;

    /// <summary>The WHERE condition (empty for the whole table) over already quoted key columns, its
    /// placeholders numbered from <paramref name="firstParameter"/>, and the values they take in order;
    /// with <paramref name="inline"/>, the values are written into the text as literals instead (and no
    /// argument is returned), for statements that take no parameters.</summary>
    public (string Condition, List<object?> Args) Predicate(SqlDialect dialect, IReadOnlyList<string> quotedKeys, int firstParameter = 0,
        Func<object?, string>? inline = null)
    {
        var parts = new List<string>();
        var values = new List<object?>();
        if (Lower is not null) Add(Lower, "{0}");
        if (Upper is not null) Add(Upper, "NOT ({0})");
        return (string.Join(" AND ", parts), inline is null ? values : []);

        void Add(object?[] bound, string format)
        {
            var first = firstParameter + values.Count;
            Func<int, string>? placeholder = inline is null ? null : i => inline(bound[i - first]);
            parts.Add(string.Format(CultureInfo.InvariantCulture, format, dialect.KeysetPredicate(quotedKeys, first, placeholder)));
            values.AddRange(bound);
        }
    }

    /// <summary>A bound as the state store keeps it: the key values with their types.</summary>
    public static string? Store(object?[]? bound) => bound is null ? null : new Watermark(bound.Select(v => v!).ToList()).Serialize();

    public static object?[]? Load(string? stored) => stored is null ? null : Watermark.Parse(stored).Values.ToArray();

    public override string ToString() =>
        $"range {Index + 1} ({Show(Lower, "start")} .. {Show(Upper, "end")}]";

    private static string Show(object?[]? bound, string open) => bound is null ? open
        : bound.Length == 1 ? Watermark.Display(bound[0]) : "(" + string.Join(", ", bound.Select(Watermark.Display)) + ")";
}
