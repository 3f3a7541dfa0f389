using System.Globalization;
using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Sources;

/// <summary>
/// The time strings SQLite's date functions read (sqlite.org/lang_datefunc.html, "Time Values"):
/// YYYY-MM-DD, optionally followed by [T ]HH:MM[:SS[.SSS]] and then "Z" or [+-]HH:MM. Only what a
/// DateTime holds exactly is taken (fractions to 7 digits, real calendar dates); anything else is not
/// a time string here, so it is never rounded or guessed at.
/// </summary>
public static partial class SqliteTimeText
{
    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,7}))?)?(Z|z|[+-][0-9]{2}:[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The wall clock, and its offset when the text carries one.</summary>
    public static bool TryParse(string text, out DateTime wallClock, out TimeSpan? offset)
    {
        wallClock = default;
        offset = null;
        var m = Pattern().Match(text);
        if (!m.Success) return false;
        int Part(int group) => m.Groups[group].Success ? int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        int year = Part(1), month = Part(2), day = Part(3), hour = Part(4), minute = Part(5), second = Part(6);
        if (month is < 1 or > 12 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        var ticks = 0L;
        if (m.Groups[7].Success)
        {
            var fraction = m.Groups[7].Value;
            ticks = long.Parse(fraction.PadRight(7, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        var zone = m.Groups[8];
        if (zone.Success && zone.Value is not ("Z" or "z"))
        {
            var hours = int.Parse(zone.ValueSpan[1..3], NumberStyles.None, CultureInfo.InvariantCulture);
            var minutes = int.Parse(zone.ValueSpan[4..6], NumberStyles.None, CultureInfo.InvariantCulture);
            if (hours > 14 || minutes > 59 || hours * 60 + minutes > 14 * 60) return false;
            var size = new TimeSpan(hours, minutes, 0);
            offset = zone.Value[0] == '-' ? -size : size;
        }
        else if (zone.Success) offset = TimeSpan.Zero;
        wallClock = new DateTime(year, month, day, hour, minute, second).AddTicks(ticks);
        return true;
    }
}
