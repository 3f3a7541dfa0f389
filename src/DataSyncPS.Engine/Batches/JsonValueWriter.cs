using System.Runtime.CompilerServices;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// Writes values to JSON exactly (DESIGN contract 3): decimals as written, timestamps ISO 8601 with
/// offset, dates as yyyy-MM-dd, JSON as JSON, booleans as booleans, binary as base64, NULL as null,
/// text as UTF-8 without escaping non-ASCII.
/// </summary>
public static class JsonValueWriter
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JsonTextEncoder.Instance,
        SkipValidation = true,
        Indented = false,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteTimestamp(Utf8JsonWriter w, DateTime value, TimeZoneInfo zone)
    {
        var offset = zone == TimeZoneInfo.Utc ? TimeSpan.Zero : zone.GetUtcOffset(DateTime.SpecifyKind(value, DateTimeKind.Unspecified));
        WriteTimestamp(w, value, offset);
    }

    // Wall clock and offset are written side by side (IsoTimestamp), never through DateTimeOffset,
    // which refuses 9999-12-31 23:59:59 at -03:00, the usual "valid forever" sentinel.
    public static void WriteTimestampUtc(Utf8JsonWriter w, DateTime value) => WriteTimestamp(w, value, TimeSpan.Zero);

    public static void WriteTimestampOffset(Utf8JsonWriter w, DateTimeOffset value) => WriteTimestamp(w, value.DateTime, value.Offset);

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    internal static void WriteTimestamp(Utf8JsonWriter w, DateTime wallClock, TimeSpan offset)
    {
        Span<byte> buf = stackalloc byte[40];
        w.WriteStringValue(buf[..IsoTimestamp.Format(wallClock, offset, buf)]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public static void WriteDate(Utf8JsonWriter w, DateTime value)
    {
        Span<byte> buf = stackalloc byte[10];
        w.WriteStringValue(buf[..IsoTimestamp.FormatDate(value, buf)]);
    }

    /// <summary>[-]HH:mm:ss[.fffffff], hours past 24 kept as hours (24:00:00, 838:59:59), as the servers print them.</summary>
    public static void WriteTime(Utf8JsonWriter w, TimeSpan value)
    {
        var sign = value < TimeSpan.Zero ? "-" : "";
        var abs = value.Duration();
        var hours = (long)abs.TotalHours;
        w.WriteStringValue(sign + hours.ToString("00", CultureInfo.InvariantCulture) + abs.ToString(@"\:mm\:ss\.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'));
    }

    /// <summary>HH:mm:ss[.fffffff]+hh:mm; the date part a provider puts around a timetz means nothing.</summary>
    public static void WriteTimeOffset(Utf8JsonWriter w, DateTimeOffset value) =>
        w.WriteStringValue(value.ToString("HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteDouble(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value)) w.WriteNumberValue(value);
        else w.WriteStringValue(value.ToString(CultureInfo.InvariantCulture)); // NaN/Infinity are not JSON numbers
    }

    /// <summary>Writes a number from its exact decimal text; what is not a JSON number (NaN, Infinity)
    /// becomes a string, as for double.</summary>
    public static void WriteNumberText(Utf8JsonWriter w, string text)
    {
        if (IsJsonNumber(text)) w.WriteRawValue(text, skipInputValidation: true);
        else w.WriteStringValue(text);
    }

    /// <summary>-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    internal static bool IsJsonNumber(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-') i++;
        if (i >= s.Length || !char.IsAsciiDigit(s[i])) return false;
        if (s[i] == '0') i++;
        else while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i < s.Length && s[i] == '.')
        {
            if (++i >= s.Length || !char.IsAsciiDigit(s[i])) return false;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            if (++i < s.Length && s[i] is '+' or '-') i++;
            if (i >= s.Length || !char.IsAsciiDigit(s[i])) return false;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        }
        return i == s.Length;
    }

    public static void WriteSingle(Utf8JsonWriter w, float value)
    {
        if (float.IsFinite(value)) w.WriteNumberValue(value);
        else w.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Writes a CLR value of any type: what providers return for unusual columns and what
    /// PowerShell objects hold.</summary>
    public static void WriteValue(Utf8JsonWriter w, object? value, TimeZoneInfo zone)
    {
        switch (value)
        {
            case null or DBNull: w.WriteNullValue(); return;
            case string s: w.WriteStringValue(s); return;
            case bool b: w.WriteBooleanValue(b); return;
            case int i: w.WriteNumberValue(i); return;
            case long l: w.WriteNumberValue(l); return;
            case short sh: w.WriteNumberValue(sh); return;
            case byte by: w.WriteNumberValue(by); return;
            case sbyte sb: w.WriteNumberValue(sb); return;
            case ushort us: w.WriteNumberValue(us); return;
            case uint ui: w.WriteNumberValue(ui); return;
            case ulong ul: w.WriteNumberValue(ul); return;
            case decimal d: w.WriteNumberValue(d); return;
            case double db: WriteDouble(w, db); return;
            case float f: WriteSingle(w, f); return;
            case BigInteger bi: w.WriteRawValue(bi.ToString(CultureInfo.InvariantCulture), skipInputValidation: true); return;
            case DateTime dt:
                if (dt.Kind == DateTimeKind.Utc) WriteTimestampUtc(w, dt);
                else if (dt.Kind == DateTimeKind.Local) WriteTimestampOffset(w, new DateTimeOffset(dt));
                else WriteTimestamp(w, dt, zone);
                return;
            case DateTimeOffset dto: WriteTimestampOffset(w, dto); return;
            case DateOnly d0: w.WriteStringValue(d0.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); return;
            case TimeOnly t0: WriteTime(w, t0.ToTimeSpan()); return;
            case TimeSpan ts: WriteTime(w, ts); return;
            case Guid g: w.WriteStringValue(g); return;
            case byte[] bytes: w.WriteBase64StringValue(bytes); return;
            case char c: w.WriteStringValue(c.ToString()); return;
            case Enum e: w.WriteStringValue(e.ToString()); return;
            case JsonElement je: je.WriteTo(w); return;
            case JsonDocument jd: jd.WriteTo(w); return;
            case IDictionary dict:
                w.WriteStartObject();
                foreach (DictionaryEntry entry in dict)
                {
                    w.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    WriteValue(w, entry.Value, zone);
                }
                w.WriteEndObject();
                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                w.WriteStartObject();
                foreach (var (k, v) in pairs) { w.WritePropertyName(k); WriteValue(w, v, zone); }
                w.WriteEndObject();
                return;
            case Array { Rank: > 1 } grid:
                WriteGrid(w, grid, new int[grid.Rank], 0, zone);
                return;
            case IEnumerable seq:
                w.WriteStartArray();
                foreach (var item in seq) WriteValue(w, item, zone);
                w.WriteEndArray();
                return;
            case IFormattable fmt: w.WriteStringValue(fmt.ToString(null, CultureInfo.InvariantCulture)); return;
            default: w.WriteStringValue(value.ToString()); return;
        }
    }

    /// <summary>A multi-dimensional array (PostgreSQL int[][]) as nested JSON arrays; enumerating it
    /// would flatten {{1,2},{3,4}} to [1,2,3,4].</summary>
    private static void WriteGrid(Utf8JsonWriter w, Array grid, int[] index, int dimension, TimeZoneInfo zone)
    {
        w.WriteStartArray();
        var lower = grid.GetLowerBound(dimension);
        for (var i = lower; i <= grid.GetUpperBound(dimension); i++)
        {
            index[dimension] = i;
            if (dimension == grid.Rank - 1) WriteValue(w, grid.GetValue(index), zone);
            else WriteGrid(w, grid, index, dimension + 1, zone);
        }
        w.WriteEndArray();
    }
}
