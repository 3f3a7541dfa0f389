using System.Runtime.CompilerServices;
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

    /// <summary>The same text as UTF-8 into <paramref name="dest"/> (see <see cref="MaxLength"/>); false
    /// for NaN and the infinities, which are not JSON numbers (their text is written all the same).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryFormatNumber(ReadOnlySpan<byte> value, Span<byte> dest, out int written)
    {
        var ndigits = BinaryPrimitives.ReadInt16BigEndian(value);
        var weight = BinaryPrimitives.ReadInt16BigEndian(value[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
        var dscale = BinaryPrimitives.ReadUInt16BigEndian(value[6..]);
        var word = sign switch { NaN => "NaN"u8, PositiveInfinity => "Infinity"u8, NegativeInfinity => "-Infinity"u8, _ => default };
        if (sign is NaN or PositiveInfinity or NegativeInfinity)
        {
            word.CopyTo(dest);
            written = word.Length;
            return false;
        }
        var digits = value.Slice(8, 2 * ndigits);
        var n = 0;
        if (sign == Negative) dest[n++] = (byte)'-';
        if (weight < 0) dest[n++] = (byte)'0';
        else
        {
            var first = Digit(digits, 0);
            if (first >= 1000) dest[n++] = (byte)('0' + first / 1000);
            if (first >= 100) dest[n++] = (byte)('0' + first / 100 % 10);
            if (first >= 10) dest[n++] = (byte)('0' + first / 10 % 10);
            dest[n++] = (byte)('0' + first % 10);
            for (var i = 1; i <= weight; i++) Four(Digit(digits, i), dest, ref n);
        }
        if (dscale > 0)
        {
            dest[n++] = (byte)'.';
            var start = n;
            for (var i = weight + 1; n - start < dscale; i++) Four(Digit(digits, i), dest, ref n);
            n = start + dscale; // the last base-10000 group may carry digits beyond the scale
        }
        written = n;
        return true;
    }

    /// <summary>The most bytes <see cref="TryFormatNumber"/> writes for a value of this size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int MaxLength(ReadOnlySpan<byte> value)
    {
        var weight = BinaryPrimitives.ReadInt16BigEndian(value[2..]);
        var dscale = BinaryPrimitives.ReadUInt16BigEndian(value[6..]);
        return 4 * (Math.Max((int)weight, 0) + 1) + dscale + 8;
    }

    /// <summary>Bytes <see cref="Write"/> needs at most: the header and 8 base-10000 digits (29 decimal
    /// digits, 3 more of padding to align the scale).</summary>
    public const int MaxWriteLength = 8 + 2 * 9;

    /// <summary>Writes a decimal in the wire format (what COPY FROM binary reads), keeping its scale:
    /// 10.50 stays 10.50. Returns the bytes written.</summary>
    public static int Write(decimal value, Span<byte> dest)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        // Base-10000 groups split at the decimal point: pad the fraction to whole groups of four digits.
        var pad = (4 - scale % 4) % 4;
        for (var i = 0; i < pad; i++) mantissa *= 10;
        var fractionGroups = (scale + pad) / 4;
        Span<short> groups = stackalloc short[10]; // least significant first
        var count = 0;
        while (mantissa != 0)
        {
            groups[count++] = (short)(ulong)(mantissa % 10000);
            mantissa /= 10000;
        }
        var weight = count - fractionGroups - 1;
        var low = 0;
        while (low < count && groups[low] == 0) low++; // trailing zero groups are implied by dscale
        var ndigits = count - low;
        if (ndigits == 0) weight = 0;
        BinaryPrimitives.WriteInt16BigEndian(dest, (short)ndigits);
        BinaryPrimitives.WriteInt16BigEndian(dest[2..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(dest[4..], negative && ndigits > 0 ? Negative : (ushort)0);
        BinaryPrimitives.WriteUInt16BigEndian(dest[6..], (ushort)scale);
        var n = 8;
        for (var i = count - 1; i >= low; i--, n += 2) BinaryPrimitives.WriteInt16BigEndian(dest[n..], groups[i]);
        return n;
    }

    private static void Four(short group, Span<byte> dest, ref int n)
    {
        dest[n++] = (byte)('0' + group / 1000);
        dest[n++] = (byte)('0' + group / 100 % 10);
        dest[n++] = (byte)('0' + group / 10 % 10);
        dest[n++] = (byte)('0' + group % 10);
    }

    // Groups before the first or after the last stored one are zeros the format leaves out.
    private static short Digit(ReadOnlySpan<byte> digits, int index) =>
        index >= 0 && 2 * index < digits.Length ? BinaryPrimitives.ReadInt16BigEndian(digits[(2 * index)..]) : (short)0;
}
