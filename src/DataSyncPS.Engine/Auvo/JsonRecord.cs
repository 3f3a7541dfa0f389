using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Auvo;

/// <summary>
/// An API's JSON record as plain .NET values, typed as PowerShell users expect them: whole numbers
/// long, other numbers decimal (exact), ISO 8601 times DateTimeOffset (or DateTime without an
/// offset), dates yyyy-MM-dd DateOnly, nested objects dictionaries (in their order), arrays lists.
/// </summary>
public static partial class JsonRecord
{
    public static Dictionary<string, object?> ToDictionary(JsonElement obj)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject()) d[p.Name] = ToValue(p.Value);
        return d;
    }

    public static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => ToDictionary(e),
        JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.String => Text(e.GetString()!),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.TryGetDecimal(out var m) ? m : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static object Text(string s)
    {
        if (s.Length == 10 && DateOnlyPattern().IsMatch(s) && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return d;
        if (s.Length >= 19 && DateTimePattern().Match(s) is { Success: true } m)
        {
            if (m.Groups["zone"].Success
                && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto)) return dto;
            if (!m.Groups["zone"].Success
                && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt)) return dt;
        }
        return s;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateOnlyPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,7})?(?<zone>Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex DateTimePattern();
}
