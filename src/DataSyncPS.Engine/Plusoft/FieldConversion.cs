using System.Globalization;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// Applies a <see cref="FieldMapping"/> to one source value: trim, empty as NULL, Values lookup,
/// Default or NULL handling, then the field's type (<see cref="PlusoftFieldType"/>). The result is what
/// goes into the JSON: a string, long, decimal, bool, null, or <see cref="Omitted"/>. A value the field
/// cannot take is a <see cref="FieldValueException"/>: the record's batch is then not sent.
/// Times: a timestamp without zone is the source's local time (its -TimeZone); one with a zone is
/// converted to it. Dates and times are written in that local time.
/// </summary>
public static class FieldConversion
{
    /// <summary>The field is left out of the record (Null = 'Omit').</summary>
    public static readonly object Omitted = new();

    public static object? Apply(FieldMapping m, object? raw, TimeZoneInfo zone)
    {
        var value = m.IsConstant ? m.Constant : raw is DBNull ? null : raw;
        if (value is string s)
        {
            if (m.Trim) s = s.Trim();
            value = m.EmptyIsNull && s.Length == 0 ? null : s;
        }
        if (value is not null && m.Values is { } values)
        {
            var text = Text(value);
            if (!values.TryGetValue(text, out value))
                throw new FieldValueException($"'{text}' is not one of the Values mapped to {m.Field.Name} ({string.Join(", ", values.Keys.Select(k => $"'{k}'"))})");
        }
        if (value is null && m.Default is not null) value = m.Default;
        if (value is null)
            return m.Null switch
            {
                NullHandling.Omit => Omitted,
                NullHandling.Empty => "",
                _ => null,
            };
        return m.Field.Type switch
        {
            PlusoftFieldType.String => ToText(m, value, zone),
            PlusoftFieldType.Integer => ToInteger(m, value),
            PlusoftFieldType.Decimal => ToDecimal(m, value),
            PlusoftFieldType.Boolean => ToBoolean(m, value),
            PlusoftFieldType.Date => ToTime(m, value, zone, m.Format ?? m.DateFormat),
            _ => ToTime(m, value, zone, m.Format ?? m.DateTimeFormat),
        };
    }

    private static string Text(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string ToText(FieldMapping m, object value, TimeZoneInfo zone) => value switch
    {
        string s => s,
        DateTime or DateTimeOffset => (string)ToTime(m, value, zone, m.Format ?? m.DateTimeFormat),
        DateOnly d => d.ToString(m.Format ?? m.DateFormat, CultureInfo.InvariantCulture),
        IFormattable f when m.Format is not null => f.ToString(m.Format, CultureInfo.InvariantCulture),
        _ => Text(value),
    };

    private static long ToInteger(FieldMapping m, object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint ui => ui,
        ulong ul when ul <= long.MaxValue => (long)ul,
        decimal d when d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
        double d when d == Math.Truncate(d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
        float f when f == MathF.Truncate(f) && f is >= long.MinValue and <= long.MaxValue => (long)f,
        string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Unfit(m, value, "a whole number"),
    };

    private static decimal ToDecimal(FieldMapping m, object value)
    {
        decimal d;
        try
        {
            d = value switch
            {
                decimal x => x,
                long or int or short or byte or sbyte or ushort or uint or ulong => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
                double x when double.IsFinite(x) => (decimal)x,
                float x when float.IsFinite(x) => (decimal)x,
                string s when decimal.TryParse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => throw Unfit(m, value, "a number"),
            };
        }
        catch (OverflowException) { throw Unfit(m, value, "a number within ±7.9e28"); }
        if (m.Decimals is not { } places) return d;
        // Rounded, then given exactly that scale: 10.5 with Decimals = 2 is written 10.50.
        return Math.Round(d, places, MidpointRounding.AwayFromZero) + new decimal(0, 0, 0, false, (byte)places);
    }

    private static bool ToBoolean(FieldMapping m, object value) => value switch
    {
        bool b => b,
        long or int or short or byte or sbyte or decimal when Convert.ToDecimal(value, CultureInfo.InvariantCulture) is 0m or 1m =>
            Convert.ToDecimal(value, CultureInfo.InvariantCulture) == 1m,
        string s => s.Trim().ToUpperInvariant() switch
        {
            "S" or "SIM" or "Y" or "YES" or "T" or "TRUE" or "1" => true,
            "N" or "NAO" or "NÃO" or "NO" or "F" or "FALSE" or "0" => false,
            _ => throw Unfit(m, value, "true or false (S/N, 1/0, true/false; other codes need Values)"),
        },
        _ => throw Unfit(m, value, "true or false"),
    };

    private static string ToTime(FieldMapping m, object value, TimeZoneInfo zone, string format)
    {
        DateTimeOffset local = value switch
        {
            DateTimeOffset dto => TimeZoneInfo.ConvertTime(dto, zone),
            DateTime { Kind: DateTimeKind.Utc } utc => TimeZoneInfo.ConvertTime(new DateTimeOffset(utc), zone),
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Unspecified), zone.GetUtcOffset(dt)),
            DateOnly d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(d.ToDateTime(TimeOnly.MinValue))),
            string s when DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed) && HasZone(s) =>
                TimeZoneInfo.ConvertTime(parsed, zone),
            string s when DateTime.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) =>
                new DateTimeOffset(parsed, zone.GetUtcOffset(parsed)),
            _ => throw Unfit(m, value, "a date or time"),
        };
        return local.ToString(format, CultureInfo.InvariantCulture);
    }

    private static bool HasZone(string s) => s.EndsWith('Z') || System.Text.RegularExpressions.Regex.IsMatch(s, @"[+-]\d\d:?\d\d$");

    private static FieldValueException Unfit(FieldMapping m, object value, string wanted)
    {
        var text = Text(value);
        if (text.Length > 60) text = text[..60] + "…";
        return new FieldValueException($"{(m.IsConstant ? "the constant" : m.Column)} '{text}' ({value.GetType().Name}) cannot be {m.Field.Name}, which wants {wanted}");
    }
}
