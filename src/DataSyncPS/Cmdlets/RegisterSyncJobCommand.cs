using System.Management.Automation;
using DataSyncPS.Engine.Jobs;
using DataSyncPS.Hosting;
using JobDefinition = DataSyncPS.Engine.Jobs.JobDefinition;

namespace DataSyncPS.Cmdlets;

/// <summary>Registers a script as a recurring job of the machine's scheduler: a systemd service and
/// timer, a cron entry, or a Task Scheduler task. -WhatIf shows every file it would write, with its
/// contents, and every scheduler command.</summary>
[Cmdlet(VerbsLifecycle.Register, "SyncJob", DefaultParameterSetName = DailySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SyncJob))]
public sealed class RegisterSyncJobCommand : SyncCmdlet
{
    private const string DailySet = "Daily";
    private const string WeeklySet = "Weekly";

    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(SyncJobNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? ScriptPath { get; set; }

    /// <summary>Times of day, every day: -Daily 01:00 or -Daily 01:00, 13:00.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DailySet)]
    [ValidateNotNullOrEmpty]
    public TimeSpan[]? Daily { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = WeeklySet)]
    [ValidateNotNullOrEmpty]
    public DayOfWeek[]? Weekly { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = WeeklySet)]
    [ValidateNotNullOrEmpty]
    public TimeSpan[]? At { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(TimeZoneCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RunAs { get; set; }

    [Parameter]
    [AllowEmptyCollection]
    public string[]? Argument { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PwshPath { get; set; }

    [Parameter]
    public string? Description { get; set; }

    [Parameter]
    public JobScope Scope { get; set; }

    [Parameter]
    public JobScheduler Scheduler { get; set; }

    [Parameter]
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromHours(12);

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPath { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var registrar = JobRegistrar.ForCurrentSystem();
        var script = ResolvePath(ScriptPath!);
        if (!File.Exists(script))
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.PathNotFound, $"There is no script at '{script}'.", target: script)));
        var pwsh = PwshPath is not null ? ResolvePath(PwshPath) : PwshLocator.Find(SessionState.PSVariable.GetValue("PSHOME") as string);
        if (pwsh is null || !File.Exists(pwsh))
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.PathNotFound,
                pwsh is null ? "pwsh was not found (not in PSHOME, PATH or the usual folders): give its path with -PwshPath." : $"There is no pwsh at '{pwsh}'.", target: pwsh)));
        var scheduler = MyInvocation.BoundParameters.ContainsKey(nameof(Scheduler)) ? Scheduler : JobRegistrar.DefaultScheduler();
        var version = MyInvocation.MyCommand.Module?.Version?.ToString(3);

        var (plan, job) = RunEngine(() =>
        {
            JobDefinition.CheckName(Name!);
            var definition = new JobDefinition
            {
                Name = Name!,
                Scheduler = scheduler,
                Scope = Scope,
                Schedule = new JobSchedule(Daily ?? At!, ParameterSetName == WeeklySet ? Weekly : null, TimeZone ?? TimeZoneInfo.Local.Id),
                RunAs = RunAs ?? JobRegistrar.DefaultAccount(Scope),
                ScriptPath = script,
                Arguments = Argument ?? [],
                WorkingDirectory = WorkingDirectory is null ? Path.GetDirectoryName(script)! : ResolvePath(WorkingDirectory),
                PwshPath = pwsh!,
                Description = Description,
                TimeLimit = TimeLimit,
                LogPath = LogPath is null ? registrar.DefaultLogPath(Scope, Name!) : ResolvePath(LogPath),
            };
            return registrar.PlanRegister(definition, Force, DateTimeOffset.Now, version);
        }, target: Name);

        var steps = string.Join("\n", plan.Steps.Select(s => s.Describe()));
        if (!ShouldProcess($"Register the {scheduler} job '{job.Name}' ({job.Schedule}, {job.TimeZone}, as {job.RunAs}):\n{steps}\n",
                $"Register the {scheduler} job '{job.Name}' ({job.Schedule}, {job.TimeZone}, as {job.RunAs}), writing {string.Join(", ", plan.Files.Select(f => f.Path))}?",
                "Register-SyncJob")) return;
        RunEngine(() => { registrar.Apply(plan); return true; }, target: Name);
        WriteVerbose($"Registered '{job.Name}': {string.Join(", ", job.Files)}; next run {job.NextRun:yyyy-MM-dd HH:mm zzz}.");
        WriteObject(job);
    }
}
