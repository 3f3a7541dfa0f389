using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace DataSyncPS.Engine.Tables;

/// <summary>
/// Converts a record's value to what its column takes, in .NET, before anything is sent: a value that
/// does not fit (text in a number column, a number too large for integer) is a <see cref="FormatException"/>
/// that rejects its record alone. Times without a zone are taken as UTC, as exports write them. The
/// typed conversions (<see cref="ToInt64"/>...) return unboxed values for writers that encode them
/// directly; <see cref="Convert"/> boxes them for writers that take objects.
/// </summary>
public static class ColumnValue
{
    /// <summary>The value for the column, or null for SQL NULL.</summary>
    public static object? Convert(object? value, ColumnKind kind)
    {
        if (value is null or DBNull) return null;
        return kind switch
        {
            ColumnKind.BigInt => ToInt64(value, ColumnKind.BigInt),
            ColumnKind.Integer => (int)ToInt64(value, ColumnKind.Integer),
            ColumnKind.SmallInt => (short)ToInt64(value, ColumnKind.SmallInt),
            ColumnKind.Numeric => ToDecimal(value),
            ColumnKind.Double => ToDouble(value),
            ColumnKind.Real => (float)ToDouble(value),
            ColumnKind.Boolean => ToBoolean(value),
            ColumnKind.Text or ColumnKind.Other => ToText(value),
            ColumnKind.TimestampTz => ToInstant(value).UtcDateTime,
            ColumnKind.Timestamp => DateTime.SpecifyKind(ToInstant(value).UtcDateTime, DateTimeKind.Unspecified),
            ColumnKind.Date => ToDate(value),
            ColumnKind.Jsonb or ColumnKind.Json => JsonText(value),
            ColumnKind.Uuid => ToGuid(value),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>JSON of a value: nested objects and arrays as they are, a string that holds a JSON
    /// object or array as that JSON, any other string as a JSON string.</summary>
    public static string JsonText(object value)
    {
        if (value is string s && LooksLikeJson(s)) return s;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        WriteJson(buffer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the value as JSON (exact values, as exports write them: DESIGN contract 3).</summary>
    internal static void WriteJson(System.Buffers.IBufferWriter<byte> output, object value)
    {
        using var writer = new Utf8JsonWriter(output, Batches.JsonValueWriter.WriterOptions);
        Batches.JsonValueWriter.WriteValue(writer, value, TimeZoneInfo.Utc);
    }

    /// <summary>A string that is a JSON object or array, checked by reading it through.</summary>
    internal static bool LooksLikeJson(string s)
    {
        var t = s.AsSpan().Trim();
        if (t.Length < 2 || !((t[0] == '{' && t[^1] == '}') || (t[0] == '[' && t[^1] == ']'))) return false;
        return IsJson(System.Text.Encoding.UTF8.GetBytes(s));
    }

    /// <summary>True when the bytes are one well-formed JSON value (nothing allocated).</summary>
    internal static bool IsJson(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read()) return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException) { return false; }
    }

    /// <summary>A whole number that fits the integer column kind.</summary>
    public static long ToInt64(object value, ColumnKind kind) => kind switch
    {
        ColumnKind.Integer => Whole(value, int.MinValue, int.MaxValue, "integer"),
        ColumnKind.SmallInt => Whole(value, short.MinValue, short.MaxValue, "smallint"),
        _ => Whole(value, long.MinValue, long.MaxValue, "bigint"),
    };

    public static Guid ToGuid(object value) => value is Guid g ? g : Guid.TryParse(ToText(value), out var parsed) ? parsed : throw Bad(value, "uuid");

    private static long Whole(object value, long min, long max, string type)
    {
        if (value is long fast && fast >= min && fast <= max) return fast;
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

    public static decimal ToDecimal(object value) => value switch
    {
        bool => throw Bad(value, "numeric"),
        decimal d => d,
        double or float => System.Convert.ToDouble(value, CultureInfo.InvariantCulture) is var f && double.IsFinite(f)
            ? (decimal)f : throw Bad(value, "numeric"),
        sbyte or byte or short or ushort or int or uint or long or ulong => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        string s when decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
        _ => throw Bad(value, "numeric"),
    };

    public static double ToDouble(object value) => value switch
    {
        bool => throw Bad(value, "double precision"),
        double d => d,
        sbyte or byte or short or ushort or int or uint or long or ulong or decimal or float => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
        _ => throw Bad(value, "double precision"),
    };

    public static bool ToBoolean(object value) => value switch
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

    public static string ToText(object value) => value switch
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

    public static DateTimeOffset ToInstant(object value) => value switch
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

    public static DateOnly ToDate(object value) => value switch
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
        var shown = value is string s ? $"'{(s.Length > 60 ? s[..60] + "…" : s)}'" : $"{ToText(value)} ({value.GetType().Name})";
        return new FormatException($"{shown} does not fit {type}");
    }
}
