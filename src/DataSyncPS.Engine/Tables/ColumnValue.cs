using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace DataSyncPS.Engine.Tables;

/// <summary>
/// Converts a record's value to what its column takes, in .NET, before anything is sent: a value that
/// does not fit (text in a number column, a number too large for integer) is a <see cref="FormatException"/>
/// that rejects its record alone. Times without a zone are taken as UTC, as exports write them.
/// </summary>
public static class ColumnValue
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The value for the column, or null for SQL NULL.</summary>
    public static object? Convert(object? value, ColumnKind kind)
    {
        if (value is null or DBNull) return null;
        return kind switch
        {
            ColumnKind.BigInt => Whole(value, long.MinValue, long.MaxValue, "bigint"),
            ColumnKind.Integer => (int)Whole(value, int.MinValue, int.MaxValue, "integer"),
            ColumnKind.SmallInt => (short)Whole(value, short.MinValue, short.MaxValue, "smallint"),
            ColumnKind.Numeric => Decimal(value),
            ColumnKind.Double => Double(value),
            ColumnKind.Real => (float)Double(value),
            ColumnKind.Boolean => Boolean(value),
            ColumnKind.Text or ColumnKind.Other => Text(value),
            ColumnKind.TimestampTz => Instant(value).UtcDateTime,
            ColumnKind.Timestamp => DateTime.SpecifyKind(Instant(value).UtcDateTime, DateTimeKind.Unspecified),
            ColumnKind.Date => Date(value),
            ColumnKind.Jsonb or ColumnKind.Json => JsonText(value),
            ColumnKind.Uuid => value is Guid g ? g : Guid.TryParse(Text(value), out var parsed) ? parsed : throw Bad(value, "uuid"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>JSON of a value: nested objects and arrays as they are, a string as a JSON string.</summary>
    public static string JsonText(object value) => value switch
    {
        string s when LooksLikeJson(s) => s,
        _ => JsonSerializer.Serialize(value, value.GetType(), JsonOptions),
    };

    private static bool LooksLikeJson(string s)
    {
        var t = s.AsSpan().Trim();
        if (t.Length < 2 || !((t[0] == '{' && t[^1] == '}') || (t[0] == '[' && t[^1] == ']'))) return false;
        try { using var _ = JsonDocument.Parse(s); return true; }
        catch (JsonException) { return false; }
    }

    private static long Whole(object value, long min, long max, string type)
    {
        long n;
        switch (value)
        {
            case bool: throw Bad(value, type);
            case sbyte or byte or short or ushort or int or uint or long: n = System.Convert.ToInt64(value, CultureInfo.InvariantCulture); break;
            case ulong u when u <= long.MaxValue: n = (long)u; break;
            case decimal d when d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue: n = (long)d; break;
            case double or float:
                var f = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (f != Math.Truncate(f) || f < long.MinValue || f >= 9.2233720368547758E+18) throw Bad(value, type);
                n = (long)f;
                break;
            case string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p): n = p; break;
            default: throw Bad(value, type);
        }
        if (n < min || n > max) throw Bad(value, type);
        return n;
    }

    private static decimal Decimal(object value) => value switch
    {
        bool => throw Bad(value, "numeric"),
        decimal d => d,
        double or float => System.Convert.ToDouble(value, CultureInfo.InvariantCulture) is var f && double.IsFinite(f)
            ? (decimal)f : throw Bad(value, "numeric"),
        sbyte or byte or short or ushort or int or uint or long or ulong => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        string s when decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
        _ => throw Bad(value, "numeric"),
    };

    private static double Double(object value) => value switch
    {
        bool => throw Bad(value, "double precision"),
        double d => d,
        sbyte or byte or short or ushort or int or uint or long or ulong or decimal or float => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
        _ => throw Bad(value, "double precision"),
    };

    private static bool Boolean(object value) => value switch
    {
        bool b => b,
        sbyte or byte or short or ushort or int or uint or long or ulong => System.Convert.ToInt64(value, CultureInfo.InvariantCulture) switch
        {
            0 => false,
            1 => true,
            _ => throw Bad(value, "boolean"),
        },
        string s => s.Trim().ToLowerInvariant() switch
        {
            "true" or "t" or "1" or "yes" or "sim" => true,
            "false" or "f" or "0" or "no" or "nao" or "não" => false,
            _ => throw Bad(value, "boolean"),
        },
        _ => throw Bad(value, "boolean"),
    };

    private static string Text(object value) => value switch
    {
        string s => s,
        DateTimeOffset dto => Iso(dto),
        DateTime dt => Iso(AsUtc(dt)),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary or IEnumerable when value is not byte[] => JsonText(value),
        _ => value.ToString() ?? "",
    };

    private static string Iso(DateTimeOffset dto) =>
        dto.ToString(dto.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(object value) => value switch
    {
        DateTimeOffset dto => dto,
        DateTime dt => AsUtc(dt),
        DateOnly d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        string s when DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var p) => p,
        _ => throw Bad(value, "timestamp"),
    };

    private static DateTimeOffset AsUtc(DateTime dt) => dt.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(dt),
        _ => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
    };

    private static DateOnly Date(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        DateTimeOffset dto => DateOnly.FromDateTime(dto.DateTime),
        string s when DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var p) => p,
        string s when DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var p) => DateOnly.FromDateTime(p.DateTime),
        _ => throw Bad(value, "date"),
    };

    private static FormatException Bad(object value, string type)
    {
        var shown = value is string s ? $"'{(s.Length > 60 ? s[..60] + "…" : s)}'" : $"{Text(value)} ({value.GetType().Name})";
        return new FormatException($"{shown} does not fit {type}");
    }
}
