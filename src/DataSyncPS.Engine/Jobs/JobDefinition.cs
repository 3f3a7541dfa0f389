using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Jobs;

/// <summary>Everything Register-SyncJob needs to write a job for a scheduler: validated, paths absolute.</summary>
public sealed partial record JobDefinition
{
    public required string Name { get; init; }
    public required JobScheduler Scheduler { get; init; }
    public required JobScope Scope { get; init; }
    public required JobSchedule Schedule { get; init; }
    public required string RunAs { get; init; }
    public required string ScriptPath { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public required string WorkingDirectory { get; init; }
    public required string PwshPath { get; init; }
    public string? Description { get; init; }
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromHours(12);
    /// <summary>The log file (cron, Task Scheduler); systemd writes to the journal.</summary>
    public required string LogPath { get; init; }

    /// <summary>The scheduler's name for the job: datasyncps-{name} units and cron file, \DataSyncPS\{name} task.</summary>
    public string SchedulerName => Scheduler switch
    {
        JobScheduler.TaskScheduler => @"\DataSyncPS\" + Name,
        _ => "datasyncps-" + Name,
    };

    public string Summary => Description is { Length: > 0 } d ? d : $"DataSyncPS job {Name}: {System.IO.Path.GetFileName(ScriptPath)}";

    /// <summary>Letters, digits, '-' and '_': what a unit name, a cron.d file (run-parts skips names with
    /// dots) and a task name all accept.</summary>
    public static void CheckName(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"'{name}' is not a valid job name: use letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters.", target: name);
    }

    public SyncJob ToJob(IReadOnlyList<string> files, string manifestPath, DateTimeOffset registered, string? moduleVersion) => new()
    {
        Name = Name,
        Scheduler = Scheduler,
        Scope = Scope,
        Schedule = Schedule.Describe(),
        DaysOfWeek = Schedule.Days?.ToArray(),
        At = Schedule.Times.ToArray(),
        TimeZone = Schedule.TimeZoneId,
        RunAs = RunAs,
        ScriptPath = ScriptPath,
        Arguments = Arguments.ToArray(),
        WorkingDirectory = WorkingDirectory,
        PwshPath = PwshPath,
        LogPath = Scheduler == JobScheduler.Systemd ? "journal" : LogPath,
        Description = Description,
        TimeLimit = TimeLimit,
        SchedulerName = SchedulerName,
        Files = files.ToArray(),
        ManifestPath = manifestPath,
        Registered = registered,
        ModuleVersion = moduleVersion,
        NextRun = Schedule.NextRun(registered),
    };

    public static JobDefinition FromJob(SyncJob job) => new()
    {
        Name = job.Name,
        Scheduler = job.Scheduler,
        Scope = job.Scope,
        Schedule = new JobSchedule(job.At, job.DaysOfWeek, job.TimeZone),
        RunAs = job.RunAs,
        ScriptPath = job.ScriptPath,
        Arguments = job.Arguments,
        WorkingDirectory = job.WorkingDirectory,
        PwshPath = job.PwshPath,
        Description = job.Description,
        TimeLimit = job.TimeLimit,
        LogPath = job.LogPath,
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();
}
