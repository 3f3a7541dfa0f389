using System.Globalization;
using System.Text.Json;

namespace DataSyncPS.Engine.State;

/// <summary>
/// The keyset position of the last exported row: (cursor, key...) values, serialised with their types
/// so the next run binds them back exactly (a timestamp stays a timestamp, a decimal stays exact).
/// </summary>
public sealed class Watermark
{
    public Watermark(IReadOnlyList<object> values) => Values = values;

    public IReadOnlyList<object> Values { get; }

    public object Cursor => Values[0];

    public string Serialize()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartArray();
            foreach (var v in Values)
            {
                var (type, text) = Encode(v);
                w.WriteStartObject();
                w.WriteString("t", type);
                w.WriteString("v", text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    public static Watermark Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var values = new List<object>();
        foreach (var e in doc.RootElement.EnumerateArray())
            values.Add(Decode(e.GetProperty("t").GetString()!, e.GetProperty("v").GetString()!));
        return new Watermark(values);
    }

    public override string ToString() => string.Join(", ", Values.Select(Display));

    public static string Display(object? v) => v switch
    {
        null => "null",
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static (string, string) Encode(object v) => v switch
    {
        long l => ("i8", l.ToString(CultureInfo.InvariantCulture)),
        int i => ("i4", i.ToString(CultureInfo.InvariantCulture)),
        short s => ("i2", s.ToString(CultureInfo.InvariantCulture)),
        byte b => ("u1", b.ToString(CultureInfo.InvariantCulture)),
        sbyte sb => ("i1", sb.ToString(CultureInfo.InvariantCulture)),
        ushort us => ("u2", us.ToString(CultureInfo.InvariantCulture)),
        uint ui => ("u4", ui.ToString(CultureInfo.InvariantCulture)),
        ulong ul => ("u8", ul.ToString(CultureInfo.InvariantCulture)),
        decimal d => ("dec", d.ToString(CultureInfo.InvariantCulture)),
        double db => ("f8", db.ToString("R", CultureInfo.InvariantCulture)),
        float f => ("f4", f.ToString("R", CultureInfo.InvariantCulture)),
        string str => ("s", str),
        DateTime dt => ("dt", dt.ToString("O", CultureInfo.InvariantCulture)),
        DateTimeOffset dto => ("dto", dto.ToString("O", CultureInfo.InvariantCulture)),
        DateOnly d0 => ("date", d0.ToString("O", CultureInfo.InvariantCulture)),
        TimeSpan ts => ("time", ts.ToString("c", CultureInfo.InvariantCulture)),
        Guid g => ("uuid", g.ToString()),
        bool bo => ("bool", bo ? "true" : "false"),
        byte[] bytes => ("bin", Convert.ToBase64String(bytes)),
        _ => throw new NotSupportedException($"A cursor or key column of type {v.GetType().Name} cannot be used for incremental export."),
    };

    private static object Decode(string type, string text) => type switch
    {
        "i8" => long.Parse(text, CultureInfo.InvariantCulture),
        "i4" => int.Parse(text, CultureInfo.InvariantCulture),
        "i2" => short.Parse(text, CultureInfo.InvariantCulture),
        "u1" => byte.Parse(text, CultureInfo.InvariantCulture),
        "i1" => sbyte.Parse(text, CultureInfo.InvariantCulture),
        "u2" => ushort.Parse(text, CultureInfo.InvariantCulture),
        "u4" => uint.Parse(text, CultureInfo.InvariantCulture),
        "u8" => ulong.Parse(text, CultureInfo.InvariantCulture),
        "dec" => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture),
        "f8" => double.Parse(text, CultureInfo.InvariantCulture),
        "f4" => float.Parse(text, CultureInfo.InvariantCulture),
        "s" => text,
        "dt" => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        "dto" => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        "date" => DateOnly.Parse(text, CultureInfo.InvariantCulture),
        "time" => TimeSpan.Parse(text, CultureInfo.InvariantCulture),
        "uuid" => Guid.Parse(text),
        "bool" => text == "true",
        "bin" => Convert.FromBase64String(text),
        _ => throw new FormatException($"Unknown watermark value type '{type}'."),
    };
}
