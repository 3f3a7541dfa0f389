namespace DataSyncPS;

/// <summary>A script registered to run on a schedule, as Register-SyncJob wrote it and Get-SyncJob reads it
/// back from the job's manifest.</summary>
public sealed class SyncJob
{
    public required string Name { get; init; }
    public required JobScheduler Scheduler { get; init; }
    public required JobScope Scope { get; init; }
    /// <summary>In words: "Daily 01:00", "Mon,Thu 01:00, 13:30".</summary>
    public required string Schedule { get; init; }
    /// <summary>Null for every day.</summary>
    public DayOfWeek[]? DaysOfWeek { get; init; }
    public required TimeSpan[] At { get; init; }
    /// <summary>The IANA or Windows id of the zone the times are in.</summary>
    public required string TimeZone { get; init; }
    /// <summary>The account the job runs as (root, a user, SYSTEM, a gMSA).</summary>
    public required string RunAs { get; init; }
    public required string ScriptPath { get; init; }
    public string[] Arguments { get; init; } = [];
    public required string WorkingDirectory { get; init; }
    public required string PwshPath { get; init; }
    /// <summary>Where the run's output goes: a file, or "journal" (journalctl -u the service) for systemd.</summary>
    public required string LogPath { get; init; }
    public string? Description { get; init; }
    public TimeSpan TimeLimit { get; init; }
    /// <summary>The scheduler's own name for it: the service and timer units, the cron file or crontab block, the task path.</summary>
    public required string SchedulerName { get; init; }
    /// <summary>The files Register-SyncJob wrote for the scheduler.</summary>
    public string[] Files { get; init; } = [];
    /// <summary>The JSON file that records the job (what Get-SyncJob and Test-SyncJob read).</summary>
    public string ManifestPath { get; set; } = "";
    public DateTimeOffset Registered { get; init; }
    /// <summary>The module version that registered it.</summary>
    public string? ModuleVersion { get; init; }
    /// <summary>The next run after now, in the job's time zone; null when the zone is unknown here.</summary>
    public DateTimeOffset? NextRun { get; set; }

    public override string ToString() => Name;
}
