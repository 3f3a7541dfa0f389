using System.Globalization;
using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// Writes values of an engine that stores each value in its own class whatever its column declares
/// (SQLite: INTEGER, REAL, TEXT, BLOB). A value that is what the column declares is written as that
/// kind (DESIGN contract 3); any other is written as it is stored — a string stays that string — so
/// nothing is forced into a type it is not, and nothing stops an export over one odd row.
/// </summary>
internal static class AffinityValueWriter
{
    public static Action<Utf8JsonWriter, object> For(ValueKind kind, int? scale, TimeZoneInfo zone) => kind switch
    {
        ValueKind.DecimalText => (w, v) => WriteDecimal(w, v, scale ?? 0),
        ValueKind.Boolean => WriteBoolean,
        ValueKind.Date => WriteDate,
        ValueKind.Timestamp => (w, v) => WriteTimestamp(w, v, zone),
        ValueKind.Json => WriteJson,
        _ => (w, v) => WriteStored(w, v),
    };

    /// <summary>INTEGER, REAL, TEXT and BLOB as number, number, string and base64.</summary>
    private static void WriteStored(Utf8JsonWriter w, object value) => JsonValueWriter.WriteValue(w, value, TimeZoneInfo.Utc);

    /// <summary>A number from its stored digits, with zeros up to the declared scale (NUMERIC affinity
    /// turns '751.40' into the REAL 751.4), never rounded; text that is a number as it is.</summary>
    private static void WriteDecimal(Utf8JsonWriter w, object value, int scale)
    {
        switch (value)
        {
            case long l:
                JsonValueWriter.WriteNumberText(w, WithScale(l.ToString(CultureInfo.InvariantCulture), scale));
                return;
            case double d when double.IsFinite(d):
                JsonValueWriter.WriteNumberText(w, WithScale(d.ToString("R", CultureInfo.InvariantCulture), scale));
                return;
            case string s when JsonValueWriter.IsJsonNumber(s):
                w.WriteRawValue(s, skipInputValidation: true);
                return;
            default:
                WriteStored(w, value);
                return;
        }
    }

    /// <summary>Plain digits get zeros up to <paramref name="scale"/> decimals; an exponent form is left alone.</summary>
    private static string WithScale(string digits, int scale)
    {
        if (scale <= 0 || digits.AsSpan().IndexOfAny('E', 'e') >= 0) return digits;
        var dot = digits.IndexOf('.');
        var decimals = dot < 0 ? 0 : digits.Length - dot - 1;
        if (decimals >= scale) return digits;
        return (dot < 0 ? digits + "." : digits) + new string('0', scale - decimals);
    }

    /// <summary>1 and 0 (what SQLite's TRUE and FALSE are), or the words true and false.</summary>
    private static void WriteBoolean(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case 1L: w.WriteBooleanValue(true); return;
            case 0L: w.WriteBooleanValue(false); return;
            case string s when s.Equals("true", StringComparison.OrdinalIgnoreCase): w.WriteBooleanValue(true); return;
            case string s when s.Equals("false", StringComparison.OrdinalIgnoreCase): w.WriteBooleanValue(false); return;
            default: WriteStored(w, value); return;
        }
    }

    /// <summary>yyyy-MM-dd, also when stored with a midnight time (yyyy-MM-dd 00:00:00).</summary>
    private static void WriteDate(Utf8JsonWriter w, object value)
    {
        if (value is string s && SqliteTimeText.TryParse(s, out var wallClock, out var offset) && offset is null && wallClock.TimeOfDay == TimeSpan.Zero)
            JsonValueWriter.WriteDate(w, wallClock);
        else
            WriteStored(w, value);
    }

    /// <summary>SQLite's time strings: with their own offset when they carry one, else the source's zone.
    /// Numbers (Julian days, Unix seconds: SQLite cannot say which) are left as numbers.</summary>
    private static void WriteTimestamp(Utf8JsonWriter w, object value, TimeZoneInfo zone)
    {
        if (value is string s && SqliteTimeText.TryParse(s, out var wallClock, out var offset))
        {
            if (offset is TimeSpan own) JsonValueWriter.WriteTimestamp(w, wallClock, own);
            else JsonValueWriter.WriteTimestamp(w, wallClock, zone);
        }
        else WriteStored(w, value);
    }

    /// <summary>Text that is one JSON value, as that JSON; numbers are JSON already.</summary>
    private static void WriteJson(Utf8JsonWriter w, object value)
    {
        if (value is string s && IsJson(s)) w.WriteRawValue(s, skipInputValidation: true);
        else WriteStored(w, value);
    }

    private static bool IsJson(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        try
        {
            while (reader.Read()) { }
            return reader.BytesConsumed > 0;
        }
        catch (JsonException) { return false; }
    }
}
