using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DataSyncPS.Engine.Sources;

/// <summary>
/// PostgreSQL's binary numeric as exact decimal text. Npgsql reads numeric only as System.Decimal
/// (28 digits), which overflows on numeric(38,10) and has no NaN or Infinity; the wire format holds
/// every digit: ndigits, weight, sign, dscale, then base-10000 digits, all big-endian int16.
/// </summary>
internal static class PostgreSqlNumeric
{
    private const ushort Negative = 0x4000, NaN = 0xC000, PositiveInfinity = 0xD000, NegativeInfinity = 0xF000;

    public static string ToText(ReadOnlySpan<byte> value)
    {
        var ndigits = BinaryPrimitives.ReadInt16BigEndian(value);
        var weight = BinaryPrimitives.ReadInt16BigEndian(value[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
        var dscale = BinaryPrimitives.ReadUInt16BigEndian(value[6..]);
        switch (sign)
        {
            case NaN: return "NaN";
            case PositiveInfinity: return "Infinity";
            case NegativeInfinity: return "-Infinity";
        }
        var digits = value.Slice(8, 2 * ndigits);
        var sb = new StringBuilder(4 * (Math.Max(weight, (short)0) + 1) + dscale + 2);
        if (sign == Negative) sb.Append('-');
        if (weight < 0) sb.Append('0');
        else
        {
            sb.Append(Digit(digits, 0).ToString(CultureInfo.InvariantCulture));
            for (var i = 1; i <= weight; i++) sb.Append(Digit(digits, i).ToString("D4", CultureInfo.InvariantCulture));
        }
        if (dscale > 0)
        {
            sb.Append('.');
            var start = sb.Length;
            for (var i = weight + 1; sb.Length - start < dscale; i++) sb.Append(Digit(digits, i).ToString("D4", CultureInfo.InvariantCulture));
            sb.Length = start + dscale; // the last base-10000 group may carry digits beyond the scale
        }
        return sb.ToString();
    }

    // Groups before the first or after the last stored one are zeros the format leaves out.
    private static short Digit(ReadOnlySpan<byte> digits, int index) =>
        index >= 0 && 2 * index < digits.Length ? BinaryPrimitives.ReadInt16BigEndian(digits[(2 * index)..]) : (short)0;
}
