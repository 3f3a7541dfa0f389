using System.Globalization;

namespace DataSyncPS.Engine.Sources;

/// <summary>
/// A keyset value as a typed SQL literal, for the one statement that cannot take parameters: COPY.
/// Only values the export itself read back from a keyset column reach here, each written in an
/// unambiguous form with an explicit cast; text is dollar-quoted with a tag it does not contain, so no
/// setting (standard_conforming_strings) or content can end the literal early.
/// </summary>
internal static class PostgreSqlLiteral
{
    public static string Of(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "true" : "false",
        short s => s.ToString(CultureInfo.InvariantCulture) + "::int2",
        int i => i.ToString(CultureInfo.InvariantCulture) + "::int4",
        long l => l.ToString(CultureInfo.InvariantCulture) + "::int8",
        decimal d => d.ToString(CultureInfo.InvariantCulture) + "::numeric",
        double d => Float(d.ToString("R", CultureInfo.InvariantCulture), double.IsFinite(d), "float8"),
        float f => Float(f.ToString("R", CultureInfo.InvariantCulture), float.IsFinite(f), "float4"),
        string s => Text(s) + "::text",
        Guid g => $"'{g:D}'::uuid",
        byte[] bytes => $"decode('{Convert.ToHexString(bytes)}', 'hex')",
        DateTime { Kind: DateTimeKind.Utc } dt => $"'{Timestamp(dt)}+00'::timestamptz",
        DateTime dt => $"'{Timestamp(dt)}'::timestamp",
        _ => throw new NotSupportedException($"A keyset value of type {value.GetType().Name} cannot be written as a PostgreSQL literal."),
    };

    private static string Float(string text, bool finite, string type) =>
        (finite ? text : "'" + text + "'") + "::" + type;

    /// <summary>'infinity' and '-infinity' come back from Npgsql as DateTime's extremes.</summary>
    private static string Timestamp(DateTime dt) =>
        dt == DateTime.MaxValue ? "infinity"
        : dt == DateTime.MinValue ? "-infinity"
        : dt.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private static string Text(string s)
    {
        var tag = "$k$";
        for (var n = 0; s.Contains(tag, StringComparison.Ordinal) || s.EndsWith(tag[..^1], StringComparison.Ordinal); n++) tag = $"$k{n}$";
        return tag + s + tag;
    }
}
