using System.Runtime.CompilerServices;
namespace DataSyncPS.Engine.Batches;

/// <summary>
/// ISO 8601 text for timestamps and dates, written digit by digit into UTF-8: a custom .NET format
/// string costs several times more per value, and an export writes two or three per row.
/// </summary>
internal static class IsoTimestamp
{
    /// <summary>yyyy-MM-ddTHH:mm:ss[.fffffff, trailing zeros trimmed]±HH:mm — at most 33 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Format(DateTime wallClock, TimeSpan offset, Span<byte> dest)
    {
        var n = FormatDate(wallClock, dest);
        dest[n++] = (byte)'T';
        Two(wallClock.Hour, dest, ref n);
        dest[n++] = (byte)':';
        Two(wallClock.Minute, dest, ref n);
        dest[n++] = (byte)':';
        Two(wallClock.Second, dest, ref n);
        var fraction = (int)(wallClock.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            dest[n++] = (byte)'.';
            var digits = 7;
            while (fraction % 10 == 0) { fraction /= 10; digits--; }
            for (var i = digits - 1; i >= 0; i--) { dest[n + i] = (byte)('0' + fraction % 10); fraction /= 10; }
            n += digits;
        }
        var minutes = (int)offset.TotalMinutes;
        dest[n++] = minutes < 0 ? (byte)'-' : (byte)'+';
        minutes = Math.Abs(minutes);
        Two(minutes / 60, dest, ref n);
        dest[n++] = (byte)':';
        Two(minutes % 60, dest, ref n);
        return n;
    }

    /// <summary>yyyy-MM-dd — 10 bytes (years past 9999 do not exist in DateTime).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FormatDate(DateTime value, Span<byte> dest)
    {
        var y = value.Year;
        dest[0] = (byte)('0' + y / 1000);
        dest[1] = (byte)('0' + y / 100 % 10);
        dest[2] = (byte)('0' + y / 10 % 10);
        dest[3] = (byte)('0' + y % 10);
        dest[4] = (byte)'-';
        var n = 5;
        Two(value.Month, dest, ref n);
        dest[n++] = (byte)'-';
        Two(value.Day, dest, ref n);
        return n;
    }

    private static void Two(int value, Span<byte> dest, ref int n)
    {
        dest[n++] = (byte)('0' + value / 10);
        dest[n++] = (byte)('0' + value % 10);
    }
}
