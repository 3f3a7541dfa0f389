using System.Globalization;
using System.Text;

namespace DataSyncPS.Engine.Sources;

/// <summary>
/// A PostgreSQL interval as an ISO 8601 duration, character for character what the server prints
/// under <c>SET intervalstyle = iso_8601</c> (EncodeInterval in its datetime.c): months, days and
/// microseconds are kept apart, as an interval does; TimeSpan cannot hold months at all.
/// </summary>
internal static class PostgreSqlInterval
{
    private const long MicrosPerSecond = 1_000_000, MicrosPerMinute = 60 * MicrosPerSecond, MicrosPerHour = 60 * MicrosPerMinute;

    public static string ToIso8601(int months, int days, long micros)
    {
        if (months == 0 && days == 0 && micros == 0) return "PT0S";
        // Integer division truncates toward zero, so each part keeps the sign of the whole, as in C.
        var hours = micros / MicrosPerHour;
        micros -= hours * MicrosPerHour;
        var minutes = micros / MicrosPerMinute;
        micros -= minutes * MicrosPerMinute;
        var seconds = micros / MicrosPerSecond;
        var fraction = micros - seconds * MicrosPerSecond;

        var sb = new StringBuilder("P");
        Part(sb, months / 12, 'Y');
        Part(sb, months % 12, 'M');
        Part(sb, days, 'D');
        if (hours != 0 || minutes != 0 || seconds != 0 || fraction != 0)
        {
            sb.Append('T');
            Part(sb, hours, 'H');
            Part(sb, minutes, 'M');
            if (seconds != 0 || fraction != 0)
            {
                if (seconds < 0 || fraction < 0) sb.Append('-');
                sb.Append(Math.Abs(seconds).ToString(CultureInfo.InvariantCulture));
                if (fraction != 0) sb.Append('.').Append(Math.Abs(fraction).ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0'));
                sb.Append('S');
            }
        }
        return sb.ToString();
    }

    private static void Part(StringBuilder sb, long value, char unit)
    {
        if (value != 0) sb.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
    }
}
