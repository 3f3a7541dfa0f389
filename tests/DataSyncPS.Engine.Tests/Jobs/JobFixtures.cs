using DataSyncPS.Engine.Jobs;

namespace DataSyncPS.Engine.Tests.Jobs;

/// <summary>A job as the seeds have it (01:00 Brasília time), and a scheduler that records every argv.</summary>
internal static class JobFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    public static JobDefinition Nightly(JobScheduler scheduler, TempDirectory dir, JobScope scope = JobScope.System, string runAs = "datasync",
        JobSchedule? schedule = null, string[]? arguments = null, string? script = null) => new()
    {
        Name = "nightly",
        Scheduler = scheduler,
        Scope = scope,
        Schedule = schedule ?? new JobSchedule([TimeSpan.FromHours(1)], null, "America/Sao_Paulo"),
        RunAs = runAs,
        ScriptPath = script ?? dir.Combine("jobs", "nightly.ps1"),
        Arguments = arguments ?? ["-Table", "vendas"],
        WorkingDirectory = dir.Combine("jobs"),
        PwshPath = "/usr/bin/pwsh",
        LogPath = dir.Combine("root", "logs", "nightly.log"),
    };

    public static JobRegistrar Registrar(TempDirectory dir, RecordingFake fake, TimeZoneInfo? machineZone = null) =>
        new(new JobLocations(dir.Combine("root"), dir.Combine("home")), fake, machineZone ?? TimeZoneInfo.Utc);
}

/// <summary>The fake scheduler: records each command's argv (and stdin), answers from a script of results.</summary>
internal sealed class RecordingFake : ISchedulerCommands
{
    public List<SchedulerCommand> Calls { get; } = [];

    public string Crontab { get; set; } = "";

    public Func<SchedulerCommand, SchedulerCommandResult?>? Answer { get; set; }

    public List<string[]> Argvs => Calls.Select(c => new[] { c.FileName }.Concat(c.Arguments).ToArray()).ToList();

    public SchedulerCommandResult Run(SchedulerCommand command)
    {
        Calls.Add(command);
        if (Answer?.Invoke(command) is { } answer) return answer;
        if (command is { FileName: "crontab", Arguments: ["-l"] })
            return Crontab.Length == 0 ? new SchedulerCommandResult(1, "", "no crontab for datasync") : new SchedulerCommandResult(0, Crontab, "");
        if (command is { FileName: "crontab", Arguments: ["-"] }) Crontab = command.Input!;
        return new SchedulerCommandResult(0, "", "");
    }
}
