using System.Runtime.CompilerServices;
using System.Data.Common;
using System.Text.Json;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// Writes the current row of a data reader as one JSON object. The per-column writers are chosen once
/// from the result's schema, so the per-row path is typed reads with no boxing for common types.
/// </summary>
public sealed class RowJsonWriter
{
    private delegate void ColumnWriter(DbDataReader reader, int ordinal, Utf8JsonWriter writer);

    private readonly JsonEncodedText[] _names;
    private readonly ColumnWriter[] _writers;

    public RowJsonWriter(DbDataReader reader, SqlDialect dialect, TimeZoneInfo zone, IReadOnlyDictionary<string, string>? catalogTypes = null)
    {
        var n = reader.FieldCount;
        _names = new JsonEncodedText[n];
        _writers = new ColumnWriter[n];
        var kinds = new ValueKind[n];
        Kinds = kinds;
        for (var i = 0; i < n; i++)
        {
            var name = reader.GetName(i);
            _names[i] = JsonEncodedText.Encode(name, JsonValueWriter.WriterOptions.Encoder);
            var typeName = catalogTypes is not null && catalogTypes.TryGetValue(name, out var ct) ? ct : reader.GetDataTypeName(i);
            var clrType = reader.GetFieldType(i);
            var kind = dialect.MapValueKind(typeName, clrType);
            kinds[i] = kind;
            _writers[i] = dialect.StoresValuesByAffinity
                ? ByStoredValue(AffinityValueWriter.For(kind, dialect.DeclaredScale(typeName), zone))
                : For(kind, clrType, zone, dialect);
        }
    }

    public IReadOnlyList<ValueKind> Kinds { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(DbDataReader reader, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        for (var i = 0; i < _writers.Length; i++)
        {
            w.WritePropertyName(_names[i]);
            if (reader.IsDBNull(i)) w.WriteNullValue();
            else _writers[i](reader, i, w);
        }
        w.WriteEndObject();
    }

    private static ColumnWriter For(ValueKind kind, Type clrType, TimeZoneInfo zone, SqlDialect dialect) => kind switch
    {
        // Integers are read as their own type: SqlClient's GetInt32 on a smallint or tinyint throws.
        ValueKind.Int32 when clrType == typeof(short) => (r, i, w) => w.WriteNumberValue(r.GetInt16(i)),
        ValueKind.Int32 when clrType == typeof(byte) => (r, i, w) => w.WriteNumberValue(r.GetByte(i)),
        ValueKind.Int32 when clrType == typeof(sbyte) => (r, i, w) => w.WriteNumberValue(r.GetFieldValue<sbyte>(i)),
        ValueKind.Int32 when clrType == typeof(ushort) => (r, i, w) => w.WriteNumberValue(r.GetFieldValue<ushort>(i)),
        ValueKind.Int64 when clrType == typeof(uint) => (r, i, w) => w.WriteNumberValue(r.GetFieldValue<uint>(i)),
        ValueKind.String => (r, i, w) => w.WriteStringValue(r.GetString(i)),
        ValueKind.Boolean => (r, i, w) => w.WriteBooleanValue(r.GetBoolean(i)),
        ValueKind.Int32 => (r, i, w) => w.WriteNumberValue(r.GetInt32(i)),
        ValueKind.Int64 => (r, i, w) => w.WriteNumberValue(r.GetInt64(i)),
        ValueKind.UInt64 => (r, i, w) => w.WriteNumberValue(r.GetFieldValue<ulong>(i)),
        ValueKind.Decimal => (r, i, w) => WriteDecimal(r, i, w, dialect),
        ValueKind.DecimalText => (r, i, w) => JsonValueWriter.WriteNumberText(w, dialect.ReadExactText(r, i)),
        ValueKind.Double => (r, i, w) => JsonValueWriter.WriteDouble(w, r.GetDouble(i)),
        ValueKind.Single => (r, i, w) => JsonValueWriter.WriteSingle(w, r.GetFloat(i)),
        ValueKind.Timestamp => DateTimeWriter(dialect, (w, v) => JsonValueWriter.WriteTimestamp(w, v, zone)),
        ValueKind.TimestampUtc => DateTimeWriter(dialect, JsonValueWriter.WriteTimestampUtc),
        ValueKind.TimestampOffset => (r, i, w) => JsonValueWriter.WriteTimestampOffset(w, r.GetFieldValue<DateTimeOffset>(i)),
        // As TimeSpan, not TimeOnly: PostgreSQL time allows 24:00:00 and MySQL TIME runs to 838 hours.
        ValueKind.Time => (r, i, w) => JsonValueWriter.WriteTime(w, r.GetFieldValue<TimeSpan>(i)),
        ValueKind.TimeOffset => (r, i, w) => JsonValueWriter.WriteTimeOffset(w, r.GetFieldValue<DateTimeOffset>(i)),
        ValueKind.Duration => (r, i, w) => w.WriteStringValue(dialect.ReadExactText(r, i)),
        ValueKind.Date => DateTimeWriter(dialect, JsonValueWriter.WriteDate),
        ValueKind.Json => (r, i, w) => w.WriteRawValue(r.GetString(i), skipInputValidation: false),
        ValueKind.Binary => (r, i, w) => w.WriteBase64StringValue(r.GetFieldValue<byte[]>(i)),
        _ => (r, i, w) => JsonValueWriter.WriteValue(w, r.GetValue(i), zone),
    };

    /// <summary>The value as stored (SQLite: long, double, string or byte[]), written by what it turns out to be.</summary>
    private static ColumnWriter ByStoredValue(Action<Utf8JsonWriter, object> write) => (r, i, w) => write(w, r.GetValue(i));

    private static ColumnWriter DateTimeWriter(SqlDialect dialect, Action<Utf8JsonWriter, DateTime> write) => (r, i, w) =>
    {
        var value = r.GetDateTime(i);
        // Only the extremes can stand for what DateTime cannot hold (PostgreSQL 'infinity'); ask the dialect then.
        if ((value == DateTime.MinValue || value >= DateTime.MaxValue.Date) && dialect.SpecialDateTimeText(r, i) is { } text)
            w.WriteStringValue(text);
        else
            write(w, value);
    };

    private static void WriteDecimal(DbDataReader r, int i, Utf8JsonWriter w, SqlDialect dialect)
    {
        decimal d;
        try { d = r.GetDecimal(i); }
        catch (Exception ex) when (ex is OverflowException or InvalidCastException)
        {
            // Beyond System.Decimal's 28 digits, or NaN/Infinity: the provider's exact text.
            JsonValueWriter.WriteNumberText(w, dialect.ReadExactText(r, i));
            return;
        }
        w.WriteNumberValue(d);
    }
}
