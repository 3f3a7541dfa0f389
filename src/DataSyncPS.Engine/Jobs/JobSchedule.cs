using System.Globalization;

namespace DataSyncPS.Engine.Jobs;

/// <summary>When a job runs: at given times of day, every day or on given weekdays, in one time zone.
/// Small on purpose: it is what every scheduler (systemd OnCalendar, cron, Task Scheduler calendar
/// triggers) can say the same way.</summary>
public sealed record JobSchedule
{
    public JobSchedule(IEnumerable<TimeSpan> times, IEnumerable<DayOfWeek>? days, string timeZoneId)
    {
        Times = times.Distinct().Order().ToArray();
        Days = days?.Distinct().Order().ToArray();
        if (Times.Count == 0) throw Invalid("A schedule needs at least one time of day.");
        foreach (var t in Times)
            if (t < TimeSpan.Zero || t >= TimeSpan.FromDays(1) || t.Ticks % TimeSpan.TicksPerMinute != 0)
                throw Invalid($"'{t}' is not a time of day in whole minutes (00:00 to 23:59).");
        if (Days is { Count: 0 }) throw Invalid("A weekly schedule needs at least one day.");
        if (Days is { Count: 7 }) Days = null;
        TimeZoneId = timeZoneId;
        Zone = FindZone(timeZoneId);
        IanaZone = Zone.HasIanaId ? Zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(Zone.Id, out var iana) ? iana : Zone.Id;
    }

    public IReadOnlyList<TimeSpan> Times { get; }

    /// <summary>Null: every day.</summary>
    public IReadOnlyList<DayOfWeek>? Days { get; }

    /// <summary>The zone as the user gave it.</summary>
    public string TimeZoneId { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The zone's IANA name (what systemd and cron understand).</summary>
    public string IanaZone { get; }

    /// <summary>"Daily 01:00" or "Mon,Thu 01:00, 13:30".</summary>
    public string Describe() =>
        (Days is null ? "Daily" : string.Join(",", Days.Select(d => d.ToString()[..3]))) + " " + string.Join(", ", Times.Select(Clock));

    public static string Clock(TimeSpan t) => t.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary>The first run strictly after <paramref name="now"/>.</summary>
    public DateTimeOffset NextRun(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Zone);
        for (var day = 0; day <= 8; day++)
        {
            var date = local.Date.AddDays(day);
            if (Days is not null && !Days.Contains(date.DayOfWeek)) continue;
            foreach (var t in Times)
            {
                var wall = date + t;
                // A time that a DST change skips runs when the clock jumps over it, as cron and systemd do.
                if (Zone.IsInvalidTime(wall)) wall = wall.AddHours(1);
                var at = new DateTimeOffset(wall, Zone.GetUtcOffset(wall));
                if (at > now) return at;
            }
        }
        throw new InvalidOperationException("A weekly schedule always has a run within eight days.");
    }

    /// <summary>Whether the zone moves its clocks (a fixed offset cannot stand for it in Task Scheduler).</summary>
    public bool ZoneHasDaylightSaving(DateTimeOffset from) =>
        Zone.GetAdjustmentRules().Any(r => r.DateEnd >= from.UtcDateTime.Date && r.DaylightDelta != TimeSpan.Zero);

    private static TimeZoneInfo FindZone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"'{id}' is not a time zone this machine knows: give an IANA name such as America/Sao_Paulo (Tab completes them).", ex, id);
        }
    }

    private static SyncException Invalid(string message) => new(SyncErrorKind.InvalidArgument, message);
}
