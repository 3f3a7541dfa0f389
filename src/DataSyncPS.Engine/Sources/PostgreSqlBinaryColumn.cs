using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Batches;

namespace DataSyncPS.Engine.Sources;

/// <summary>
/// A column of a binary COPY, by type OID: its value written to JSON straight from the wire bytes
/// (DESIGN contract 3, the same text the data-reader path writes), and read as the CLR value Npgsql
/// would give for a keyset column. Types not listed here make the export use the data reader.
/// </summary>
internal sealed class PostgreSqlBinaryColumn
{
    private enum Kind { Bool, Int2, Int4, Int8, Float4, Float8, Numeric, Text, Json, Jsonb, Bytea, Uuid, Date, Timestamp, TimestampTz }

    /// <summary>PostgreSQL's epoch for dates and timestamps: 2000-01-01.</summary>
    private const long EpochTicks = 630822816000000000;
    private const int EpochDays = 730119;

    private readonly Kind _kind;
    private readonly TimeZoneInfo _zone;

    private PostgreSqlBinaryColumn(Kind kind, TimeZoneInfo zone)
    {
        _kind = kind;
        _zone = zone;
    }

    /// <summary>The column for a type OID; null when the binary path does not know the type.</summary>
    public static PostgreSqlBinaryColumn? For(uint oid, TimeZoneInfo zone) => oid switch
    {
        16 => new(Kind.Bool, zone),
        17 => new(Kind.Bytea, zone),
        20 => new(Kind.Int8, zone),
        21 => new(Kind.Int2, zone),
        23 => new(Kind.Int4, zone),
        19 or 25 or 1042 or 1043 => new(Kind.Text, zone), // name, text, char(n), varchar
        114 => new(Kind.Json, zone),
        700 => new(Kind.Float4, zone),
        701 => new(Kind.Float8, zone),
        1082 => new(Kind.Date, zone),
        1114 => new(Kind.Timestamp, zone),
        1184 => new(Kind.TimestampTz, zone),
        1700 => new(Kind.Numeric, zone),
        2950 => new(Kind.Uuid, zone),
        3802 => new(Kind.Jsonb, zone),
        _ => null,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(ReadOnlySpan<byte> v, Utf8JsonWriter w)
    {
        switch (_kind)
        {
            case Kind.Bool: w.WriteBooleanValue(v[0] != 0); return;
            case Kind.Int2: w.WriteNumberValue(BinaryPrimitives.ReadInt16BigEndian(v)); return;
            case Kind.Int4: w.WriteNumberValue(BinaryPrimitives.ReadInt32BigEndian(v)); return;
            case Kind.Int8: w.WriteNumberValue(BinaryPrimitives.ReadInt64BigEndian(v)); return;
            case Kind.Float4: JsonValueWriter.WriteSingle(w, BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32BigEndian(v))); return;
            case Kind.Float8: JsonValueWriter.WriteDouble(w, BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(v))); return;
            case Kind.Numeric: WriteNumeric(v, w); return;
            case Kind.Text: w.WriteStringValue(v); return;
            // The server parsed json on the way in (it keeps the text as given); jsonb it wrote itself.
            case Kind.Json: w.WriteRawValue(v, skipInputValidation: false); return;
            case Kind.Jsonb: w.WriteRawValue(v[1..], skipInputValidation: true); return; // version byte 1, then the text
            case Kind.Bytea: w.WriteBase64StringValue(v); return;
            case Kind.Uuid: w.WriteStringValue(new Guid(v, bigEndian: true)); return;
            case Kind.Date:
                var days = BinaryPrimitives.ReadInt32BigEndian(v);
                if (days is int.MaxValue or int.MinValue) w.WriteStringValue(days == int.MaxValue ? "infinity"u8 : "-infinity"u8);
                else JsonValueWriter.WriteDate(w, ToDate(days));
                return;
            case Kind.Timestamp:
            case Kind.TimestampTz:
                var micros = BinaryPrimitives.ReadInt64BigEndian(v);
                if (micros is long.MaxValue or long.MinValue) w.WriteStringValue(micros == long.MaxValue ? "infinity"u8 : "-infinity"u8);
                else if (_kind == Kind.TimestampTz) JsonValueWriter.WriteTimestampUtc(w, ToDateTime(micros));
                else JsonValueWriter.WriteTimestamp(w, ToDateTime(micros), _zone);
                return;
        }
    }

    /// <summary>The value as Npgsql's data reader types it (what a watermark stores and binds back).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object Value(ReadOnlySpan<byte> v) => _kind switch
    {
        Kind.Bool => v[0] != 0,
        Kind.Int2 => BinaryPrimitives.ReadInt16BigEndian(v),
        Kind.Int4 => BinaryPrimitives.ReadInt32BigEndian(v),
        Kind.Int8 => BinaryPrimitives.ReadInt64BigEndian(v),
        Kind.Float4 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32BigEndian(v)),
        Kind.Float8 => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(v)),
        Kind.Numeric => decimal.Parse(PostgreSqlNumeric.ToText(v), NumberStyles.Float, CultureInfo.InvariantCulture),
        Kind.Text or Kind.Json => Encoding.UTF8.GetString(v),
        Kind.Jsonb => Encoding.UTF8.GetString(v[1..]),
        Kind.Bytea => v.ToArray(),
        Kind.Uuid => new Guid(v, bigEndian: true),
        Kind.Date => BinaryPrimitives.ReadInt32BigEndian(v) switch
        {
            int.MaxValue => DateTime.MaxValue,
            int.MinValue => DateTime.MinValue,
            var days => ToDate(days),
        },
        _ => BinaryPrimitives.ReadInt64BigEndian(v) switch
        {
            long.MaxValue => DateTime.MaxValue,
            long.MinValue => DateTime.MinValue,
            var micros => _kind == Kind.TimestampTz ? DateTime.SpecifyKind(ToDateTime(micros), DateTimeKind.Utc) : ToDateTime(micros),
        },
    };

    // SkipLocalsInit: only the formatted digits are read back, so zeroing the buffer per value is waste.
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void WriteNumeric(ReadOnlySpan<byte> v, Utf8JsonWriter w)
    {
        var max = PostgreSqlNumeric.MaxLength(v);
        byte[]? rented = null;
        var dest = max <= 128 ? stackalloc byte[128] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            if (PostgreSqlNumeric.TryFormatNumber(v, dest, out var n)) w.WriteRawValue(dest[..n], skipInputValidation: true);
            else w.WriteStringValue(dest[..n]); // NaN, Infinity: not JSON numbers
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DateTime ToDate(int days)
    {
        if (days < -EpochDays || days > DateTime.MaxValue.Ticks / TimeSpan.TicksPerDay - EpochDays) throw OutOfRange();
        return new DateTime(EpochTicks + days * TimeSpan.TicksPerDay);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DateTime ToDateTime(long micros)
    {
        if (micros < (DateTime.MinValue.Ticks - EpochTicks) / 10 || micros > (DateTime.MaxValue.Ticks - EpochTicks) / 10) throw OutOfRange();
        return new DateTime(EpochTicks + micros * 10);
    }

    private static SyncException OutOfRange() => new(SyncErrorKind.QueryFailed,
        "A date or timestamp lies outside the years 1 to 9999, which the export cannot write.");
}
