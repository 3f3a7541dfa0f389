namespace DataSyncPS.Engine.Jobs;

/// <summary>
/// Registers, lists and removes jobs. Every change is planned first (<see cref="JobPlan"/>: the files to
/// write with their contents, the files to delete and the scheduler commands, in order), so that -WhatIf
/// shows exactly what would be done, and <see cref="Apply"/> does that and nothing else.
/// </summary>
public sealed class JobRegistrar
{
    private static readonly UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly JobLocations _locations;
    private readonly ISchedulerCommands _commands;
    private readonly TimeZoneInfo _machineZone;

    public JobRegistrar(JobLocations locations, ISchedulerCommands commands, TimeZoneInfo? machineZone = null)
    {
        _locations = locations;
        _commands = commands;
        _machineZone = machineZone ?? TimeZoneInfo.Local;
    }

    /// <summary>The real scheduler, or the recording one when DATASYNCPS_JOB_ROOT redirects the files.</summary>
    public static JobRegistrar ForCurrentSystem()
    {
        var locations = JobLocations.Current();
        return new JobRegistrar(locations, locations.Root is null ? new ProcessSchedulerCommands() : new RecordingSchedulerCommands(locations.CommandLog));
    }

    public JobLocations Locations => _locations;

    public ISchedulerCommands Commands => _commands;

    public TimeZoneInfo MachineZone => _machineZone;

    /// <summary>systemd where it runs (PID 1 made /run/systemd/system), cron elsewhere on Unix, Task Scheduler on Windows.</summary>
    public static JobScheduler DefaultScheduler() =>
        OperatingSystem.IsWindows() ? JobScheduler.TaskScheduler
        : Directory.Exists("/run/systemd/system") ? JobScheduler.Systemd : JobScheduler.Cron;

    /// <summary>SYSTEM or root for the machine, the current user for the user's own scheduler.</summary>
    public static string DefaultAccount(JobScope scope) =>
        scope == JobScope.User ? Environment.UserName : OperatingSystem.IsWindows() ? "SYSTEM" : "root";

    /// <summary>The log file of a cron or Task Scheduler job.</summary>
    public string DefaultLogPath(JobScope scope, string name) => Path.Combine(_locations.LogFolder(scope), name + ".log");

    public SyncJob? Find(string name)
    {
        foreach (var scope in new[] { JobScope.System, JobScope.User })
        {
            SyncJob? job;
            try { job = JobManifest.Load(_locations.ManifestPath(scope, name)); }
            catch (UnauthorizedAccessException) { continue; }
            if (job is not null) return job;
        }
        return null;
    }

    /// <summary>Every registered job of both scopes (a machine folder this account may not read is skipped).</summary>
    public IReadOnlyList<SyncJob> List()
    {
        var jobs = new List<SyncJob>();
        foreach (var scope in new[] { JobScope.System, JobScope.User })
        {
            var folder = _locations.ManifestFolder(scope);
            string[] files;
            try { files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : []; }
            catch (UnauthorizedAccessException) { continue; }
            foreach (var file in files.Order(StringComparer.OrdinalIgnoreCase))
                if (JobManifest.Load(file) is { } job && jobs.All(j => !j.Name.Equals(job.Name, StringComparison.OrdinalIgnoreCase))) jobs.Add(job);
        }
        return jobs;
    }

    /// <summary>What registering <paramref name="job"/> does; with <paramref name="force"/>, a job of the same
    /// name is removed first (whatever its scheduler), else it is JobExists. Reads (the job manifests, a
    /// user's crontab) but changes nothing.</summary>
    public (JobPlan Plan, SyncJob Job) PlanRegister(JobDefinition job, bool force, DateTimeOffset now, string? moduleVersion = null)
    {
        Check(job);
        var plan = new JobPlan();
        var existing = Find(job.Name);
        string? crontab = null;
        if (existing is not null)
        {
            if (!force)
                throw new SyncException(SyncErrorKind.JobExists,
                    $"A job named '{existing.Name}' is already registered ({existing.Scheduler}, {existing.Schedule}); use -Force to replace it.", target: job.Name);
            crontab = AddUnregister(plan, existing, deleteManifest: existing.Scope != job.Scope);
        }

        var files = new List<string>();
        void Write(JobFile file) { plan.Write(file); files.Add(file.Path); }
        switch (job.Scheduler)
        {
            case JobScheduler.Systemd:
            {
                var folder = _locations.SystemdFolder(job.Scope);
                Write(new JobFile(Path.Combine(folder, SystemdUnits.ServiceName(job.Name)), SystemdUnits.Service(job, moduleVersion), Readable));
                Write(new JobFile(Path.Combine(folder, SystemdUnits.TimerName(job.Name)), SystemdUnits.Timer(job, moduleVersion), Readable));
                plan.Run(Systemctl(job.Scope, "daemon-reload"));
                plan.Run(Systemctl(job.Scope, "enable", "--now", SystemdUnits.TimerName(job.Name)));
                break;
            }
            case JobScheduler.Cron when job.Scope == JobScope.System:
                plan.CreateFolder(Path.GetDirectoryName(job.LogPath)!);
                if (!SystemdUnits.IsRoot(job.RunAs)) plan.CreateLog(job.LogPath, job.RunAs);
                Write(new JobFile(Path.Combine(_locations.CronFolder, CronEntries.FileName(job.Name)), CronEntries.CronDFile(job, moduleVersion), Readable));
                break;
            case JobScheduler.Cron:
                plan.CreateFolder(Path.GetDirectoryName(job.LogPath)!);
                crontab ??= ReadCrontab();
                plan.Run(new SchedulerCommand("crontab", ["-"], CronEntries.MergeUserBlock(crontab, job, IanaId(_machineZone))));
                files.Add("crontab:" + CronEntries.BeginMarker(job.Name));
                break;
            case JobScheduler.TaskScheduler:
            {
                plan.CreateFolder(Path.GetDirectoryName(job.LogPath)!);
                var xml = Path.Combine(_locations.ManifestFolder(job.Scope), job.Name + ".xml");
                Write(new JobFile(xml, TaskDefinitionXml.Text(TaskDefinitionXml.Build(job, now, _machineZone, moduleVersion)), Utf16: true));
                List<string> args = ["/Create", "/TN", job.SchedulerName, "/XML", xml, "/F"];
                // A gMSA's password is the domain's: schtasks is told the account with an empty password.
                if (TaskDefinitionXml.IsManagedServiceAccount(job.RunAs)) args.AddRange(["/RU", job.RunAs, "/RP", ""]);
                plan.Run(new SchedulerCommand("schtasks.exe", args));
                break;
            }
        }
        var manifest = _locations.ManifestPath(job.Scope, job.Name);
        var registered = job.ToJob(files, manifest, now, moduleVersion);
        plan.Write(new JobFile(manifest, JobManifest.ToJson(registered)));
        return (plan, registered);
    }

    /// <summary>What removing a registered job does: stop and disable it, delete its files and its manifest.</summary>
    public JobPlan PlanUnregister(SyncJob job)
    {
        var plan = new JobPlan();
        AddUnregister(plan, job, deleteManifest: true);
        return plan;
    }

    /// <summary>Carries a plan out, step by step; a scheduler command that fails stops it (SchedulerCommandFailed).</summary>
    public void Apply(JobPlan plan)
    {
        foreach (var step in plan.Steps)
        {
            try
            {
                switch (step)
                {
                    case CreateFolderStep s:
                        Directory.CreateDirectory(s.Path);
                        break;
                    case WriteFileStep { File: var f }:
                        WriteFile(f);
                        break;
                    case CreateLogStep s:
                        Directory.CreateDirectory(Path.GetDirectoryName(s.Path)!);
                        using (new FileStream(s.Path, FileMode.Append, FileAccess.Write)) { }
                        // Redirected (tests, packaging), the accounts are not this machine's to give files to.
                        if (OperatingSystem.IsLinux() && _locations.Root is null)
                        {
                            var owner = UnixAccount.Find(s.Owner)
                                ?? throw new SyncException(SyncErrorKind.InvalidArgument, $"There is no user '{s.Owner}' on this machine to run the job as.", target: s.Owner);
                            if (owner.Uid != Secrets.UnixFileOwner.EffectiveUserId) owner.Own(s.Path);
                        }
                        break;
                    case DeleteFileStep s:
                        File.Delete(s.Path);
                        break;
                    case RunCommandStep { Command: var c }:
                        var result = _commands.Run(c);
                        if (!result.Succeeded && !Tolerated(c, result))
                            throw new SyncException(SyncErrorKind.SchedulerCommandFailed,
                                $"'{c}' failed with exit code {result.ExitCode}: {(result.Error + " " + result.Output).Trim()}", target: c.FileName);
                        break;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SyncException(SyncErrorKind.OutputNotWritable,
                    $"{step.Describe().Split('\n')[0]} failed: {ex.Message}" + (_locations.Root is null ? " A System job needs root (sudo) or an elevated Administrator session." : ""), ex);
            }
        }
    }

    private static bool Tolerated(SchedulerCommand c, SchedulerCommandResult r) =>
        // Removing a timer or task that the scheduler no longer has is what removal wanted.
        (c.Arguments.Contains("disable") && r.ExitCode != 0 && (r.Error.Contains("does not exist") || r.Error.Contains("not loaded") || r.Error.Contains("not found")))
        || (c.FileName == "schtasks.exe" && c.Arguments.Contains("/Delete") && r.Error.Contains("cannot find", StringComparison.OrdinalIgnoreCase));

    private static void WriteFile(JobFile file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
        var temp = file.Path + ".tmp";
        var bytes = file.Utf16
            ? [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(file.Content)]
            : new System.Text.UTF8Encoding(false).GetBytes(file.Content);
        File.WriteAllBytes(temp, bytes);
        if (file.Mode is { } mode && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, mode);
        File.Move(temp, file.Path, overwrite: true);
    }

    /// <returns>The crontab as it will be after the removal, when the job was a user cron job.</returns>
    private string? AddUnregister(JobPlan plan, SyncJob job, bool deleteManifest)
    {
        string? crontab = null;
        switch (job.Scheduler)
        {
            case JobScheduler.Systemd:
                plan.Run(Systemctl(job.Scope, "disable", "--now", SystemdUnits.TimerName(job.Name)));
                foreach (var f in job.Files.Where(File.Exists)) plan.Delete(f);
                plan.Run(Systemctl(job.Scope, "daemon-reload"));
                break;
            case JobScheduler.Cron when job.Scope == JobScope.User:
                crontab = CronEntries.RemoveUserBlock(ReadCrontab(), job.Name);
                plan.Run(new SchedulerCommand("crontab", ["-"], crontab));
                break;
            case JobScheduler.Cron:
                foreach (var f in job.Files.Where(File.Exists)) plan.Delete(f);
                break;
            case JobScheduler.TaskScheduler:
                plan.Run(new SchedulerCommand("schtasks.exe", ["/Delete", "/TN", job.SchedulerName, "/F"]));
                foreach (var f in job.Files.Where(File.Exists)) plan.Delete(f);
                break;
        }
        if (deleteManifest && File.Exists(job.ManifestPath)) plan.Delete(job.ManifestPath);
        return crontab;
    }

    /// <summary>The user's crontab now ("crontab -l"; none yet is empty).</summary>
    public string ReadCrontab()
    {
        var result = _commands.Run(new SchedulerCommand("crontab", ["-l"]));
        if (result.Succeeded) return result.Output;
        if (result.Error.Contains("no crontab", StringComparison.OrdinalIgnoreCase)) return "";
        throw new SyncException(SyncErrorKind.SchedulerCommandFailed, $"'crontab -l' failed with exit code {result.ExitCode}: {result.Error.Trim()}", target: "crontab");
    }

    private void Check(JobDefinition job)
    {
        JobDefinition.CheckName(job.Name);
        if (job.Scheduler == JobScheduler.TaskScheduler && !OperatingSystem.IsWindows() && _locations.Root is null)
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"Task Scheduler is Windows': on this system use Systemd or Cron (set {JobLocations.RootVariable} to only write the task XML).", target: job.Name);
        if (job.Scheduler != JobScheduler.TaskScheduler && OperatingSystem.IsWindows() && _locations.Root is null)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"{job.Scheduler} does not run on Windows: use TaskScheduler.", target: job.Name);
        if (job.Scope == JobScope.User && job.Scheduler == JobScheduler.TaskScheduler)
            throw new SyncException(SyncErrorKind.InvalidArgument,
                "A Task Scheduler job is the machine's (System scope): give -RunAs the account it should run as.", target: job.Name);
        if (job.Scope == JobScope.User && !job.RunAs.Equals(Environment.UserName, StringComparison.OrdinalIgnoreCase))
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"A User job runs as you ({Environment.UserName}), not as '{job.RunAs}': register it with -Scope System to run it as another account.", target: job.RunAs);
        if (job.TimeLimit <= TimeSpan.Zero)
            throw new SyncException(SyncErrorKind.InvalidArgument, "The time limit must be positive.", target: job.Name);
        if (job.Scheduler == JobScheduler.Cron && (job.RunAs.Any(char.IsWhiteSpace) || job.RunAs.Length == 0))
            throw new SyncException(SyncErrorKind.InvalidArgument, $"'{job.RunAs}' is not a user name cron can run as.", target: job.RunAs);
        if (job.Scheduler == JobScheduler.Systemd && job.Scope == JobScope.System && !System.Text.RegularExpressions.Regex.IsMatch(job.RunAs, "^[A-Za-z0-9_][A-Za-z0-9_.@-]*$"))
            throw new SyncException(SyncErrorKind.InvalidArgument, $"'{job.RunAs}' is not a user name systemd accepts in User=.", target: job.RunAs);
    }

    private static SchedulerCommand Systemctl(JobScope scope, params string[] args) =>
        new("systemctl", scope == JobScope.User ? ["--user", .. args] : args);

    private static string IanaId(TimeZoneInfo zone) =>
        zone.HasIanaId ? zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : zone.Id;
}
