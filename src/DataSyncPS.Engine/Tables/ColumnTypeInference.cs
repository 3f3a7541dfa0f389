namespace DataSyncPS.Engine.Tables;

/// <summary>
/// The column kind a field's values call for, when the writer creates a table or adds a column:
/// whole numbers bigint, other numbers numeric, booleans boolean, times timestamptz, dates date,
/// nested objects and arrays jsonb, anything else text. Mixed values widen (whole and decimal numbers
/// to numeric); any mix with text, or no value at all, is text.
/// </summary>
public static class ColumnTypeInference
{
    public static ColumnKind Infer(IEnumerable<object?> values)
    {
        ColumnKind? kind = null;
        foreach (var value in values)
        {
            if (value is null) continue;
            var k = Of(value);
            kind = kind is null ? k : Widen(kind.Value, k);
            if (kind == ColumnKind.Text) break;
        }
        return kind ?? ColumnKind.Text;
    }

    public static ColumnKind Of(object value) => value switch
    {
        bool => ColumnKind.Boolean,
        sbyte or byte or short or ushort or int or uint or long => ColumnKind.BigInt,
        ulong or decimal or float or double => ColumnKind.Numeric,
        DateTime or DateTimeOffset => ColumnKind.TimestampTz,
        DateOnly => ColumnKind.Date,
        System.Collections.IDictionary => ColumnKind.Jsonb,
        string => ColumnKind.Text,
        System.Collections.IEnumerable and not byte[] => ColumnKind.Jsonb,
        _ => ColumnKind.Text,
    };

    private static ColumnKind Widen(ColumnKind a, ColumnKind b)
    {
        if (a == b) return a;
        if (a is ColumnKind.BigInt or ColumnKind.Numeric && b is ColumnKind.BigInt or ColumnKind.Numeric) return ColumnKind.Numeric;
        if (a is ColumnKind.Date or ColumnKind.TimestampTz && b is ColumnKind.Date or ColumnKind.TimestampTz) return ColumnKind.TimestampTz;
        return a == ColumnKind.Jsonb && b == ColumnKind.Jsonb ? ColumnKind.Jsonb : ColumnKind.Text;
    }
}
