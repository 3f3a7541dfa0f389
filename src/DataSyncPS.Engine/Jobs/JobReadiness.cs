using DataSyncPS.Engine.Secrets;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Jobs;

/// <summary>
/// Test-SyncJob's engine half: what an unattended run of a job will use, answered from the machine
/// without running it — the scheduler's registration, the account, pwsh, the module that account's pwsh
/// would import, the state and log paths, and the secret stores it can read. The cmdlet adds what only
/// PowerShell knows (the script's syntax, the secrets and sources it names, whether those connect).
/// </summary>
public sealed class JobReadiness
{
    private readonly JobRegistrar _registrar;
    private readonly SyncJob _job;
    private readonly List<SyncJobCheck> _checks = [];

    public JobReadiness(JobRegistrar registrar, SyncJob job)
    {
        _registrar = registrar;
        _job = job;
    }

    /// <summary>Where the account's own files are (its home), or null when unknown (Windows accounts other than SYSTEM, macOS).</summary>
    public string? AccountHome { get; private set; }

    public IReadOnlyList<SyncJobCheck> Checks => _checks;

    public void Add(string check, JobCheckStatus status, string detail, string? target = null) =>
        _checks.Add(new SyncJobCheck { Job = _job.Name, Check = check, Status = status, Detail = detail, Target = target });

    public bool RunsAsCurrentUser => _job.RunAs.Equals(Environment.UserName, StringComparison.OrdinalIgnoreCase)
        || (!OperatingSystem.IsWindows() && SystemdUnits.IsRoot(_job.RunAs) && Environment.UserName == "root");

    public void CheckSchedule(DateTimeOffset now)
    {
        JobSchedule schedule;
        try { schedule = JobDefinition.FromJob(_job).Schedule; }
        catch (SyncException ex) { Add("Schedule", JobCheckStatus.Fail, ex.Message); return; }
        var next = schedule.NextRun(now);
        var detail = $"{schedule.Describe()} ({schedule.IanaZone}); next run {next:yyyy-MM-dd HH:mm zzz}";
        var machine = _registrar.MachineZone;
        var sameZone = machine.Id == schedule.Zone.Id || machine.Id == schedule.IanaZone
            || (TimeZoneInfo.TryConvertWindowsIdToIanaId(machine.Id, out var iana) && iana == schedule.IanaZone)
            || machine.BaseUtcOffset == schedule.Zone.BaseUtcOffset && !schedule.ZoneHasDaylightSaving(now) && !machine.GetAdjustmentRules().Any(r => r.DateEnd >= now.UtcDateTime);
        if (_job.Scheduler == JobScheduler.Cron && !sameZone)
            Add("Schedule", JobCheckStatus.Warn, detail + $". This machine's zone is {machine.Id}: cronie honours CRON_TZ, Debian's cron does not and would run at {SchedulesClock(schedule)} {machine.Id}");
        else if (_job.Scheduler == JobScheduler.TaskScheduler && !sameZone && schedule.ZoneHasDaylightSaving(now))
            Add("Schedule", JobCheckStatus.Warn, detail + $". Task Scheduler keeps the offset the task was registered with, and {schedule.IanaZone} changes its clocks: register the job again after a change");
        else Add("Schedule", JobCheckStatus.Pass, detail);
    }

    private static string SchedulesClock(JobSchedule s) => string.Join(", ", s.Times.Select(JobSchedule.Clock));

    /// <summary>The scheduler has the job: its files are there and (not redirected) the scheduler says it is enabled.</summary>
    public void CheckRegistration()
    {
        var missing = _job.Files.Where(f => !f.StartsWith("crontab:", StringComparison.Ordinal) && !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            Add("Registration", JobCheckStatus.Fail, $"{_job.SchedulerName}: missing {string.Join(", ", missing)}; register the job again (Register-SyncJob -Force)");
            return;
        }
        SchedulerCommand? ask = _job.Scheduler switch
        {
            JobScheduler.Systemd => new("systemctl", _job.Scope == JobScope.User
                ? ["--user", "is-enabled", SystemdUnits.TimerName(_job.Name)] : ["is-enabled", SystemdUnits.TimerName(_job.Name)]),
            JobScheduler.TaskScheduler => new("schtasks.exe", ["/Query", "/TN", _job.SchedulerName]),
            _ => null,
        };
        if (_job.Scheduler == JobScheduler.Cron && _job.Scope == JobScope.User)
        {
            var has = CronEntries.HasUserBlock(_registrar.ReadCrontab(), _job.Name);
            Add("Registration", has ? JobCheckStatus.Pass : JobCheckStatus.Fail,
                has ? $"the crontab of {Environment.UserName} has the job's block" : $"the crontab of {Environment.UserName} has no block for the job: register it again (Register-SyncJob -Force)");
            return;
        }
        if (ask is null)
        {
            Add("Registration", JobCheckStatus.Pass, $"{string.Join(", ", _job.Files)} in place");
            return;
        }
        SchedulerCommandResult result;
        try { result = _registrar.Commands.Run(ask); }
        catch (SyncException ex) { Add("Registration", JobCheckStatus.Fail, ex.Message); return; }
        Add("Registration", result.Succeeded ? JobCheckStatus.Pass : JobCheckStatus.Fail,
            result.Succeeded ? $"{_job.SchedulerName}: {ask} answered {(result.Output.Trim() is { Length: > 0 } o ? o.Split('\n')[0].Trim() : "OK")}"
                : $"{_job.SchedulerName}: {ask} answered {(result.Output + " " + result.Error).Trim()} (exit code {result.ExitCode})");
    }

    public void CheckAccount()
    {
        if (OperatingSystem.IsWindows() || _job.Scheduler == JobScheduler.TaskScheduler)
        {
            var (userId, logon) = TaskDefinitionXml.Principal(_job.RunAs);
            AccountHome = userId == "S-1-5-18" && OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.System), "config", "systemprofile") : RunsAsCurrentUser ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : null;
            Add("Account", JobCheckStatus.Pass, logon switch
            {
                TaskDefinitionXml.Logon.ServiceAccount => $"{_job.RunAs} ({userId}): a service account, runs whether anyone is logged on or not, no password stored",
                TaskDefinitionXml.Logon.Password => $"{_job.RunAs}: a group managed service account, no password stored (the domain supplies it); the account must be allowed on this computer (Test-ADServiceAccount) and have 'Log on as a batch job'",
                _ => $"{_job.RunAs}: S4U logon, no password stored; the run has no Windows credentials on the network (database logins come from saved secrets) and the account needs 'Log on as a batch job'",
            });
            return;
        }
        var account = UnixAccount.Find(_job.RunAs);
        if (account is null)
        {
            if (OperatingSystem.IsLinux()) Add("Account", JobCheckStatus.Fail, $"there is no user '{_job.RunAs}' on this machine: create it (useradd --system) or register the job with another -RunAs");
            else Add("Account", JobCheckStatus.Warn, $"{_job.RunAs}: not looked up on this system");
            return;
        }
        AccountHome = account.Home;
        var detail = $"{account.Name} (uid {account.Uid}, gid {account.Gid}), home {account.Home}";
        if (_job.Scheduler == JobScheduler.Systemd && _job.Scope == JobScope.User && !File.Exists(Path.Combine("/var/lib/systemd/linger", account.Name)))
            Add("Account", JobCheckStatus.Warn, detail + $"; a user timer runs only while {account.Name} is logged in: run 'loginctl enable-linger {account.Name}' so it runs at night");
        else Add("Account", JobCheckStatus.Pass, detail);
    }

    public void CheckPwsh()
    {
        if (!File.Exists(_job.PwshPath)) { Add("Pwsh", JobCheckStatus.Fail, $"'{_job.PwshPath}' does not exist: install PowerShell 7.4+ or register again with -PwshPath"); return; }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(_job.PwshPath) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            Add("Pwsh", JobCheckStatus.Fail, $"'{_job.PwshPath}' is not executable");
            return;
        }
        Add("Pwsh", JobCheckStatus.Pass, $"{_job.PwshPath} -NoProfile -NonInteractive -File {_job.ScriptPath}" + (_job.Arguments.Length > 0 ? " " + string.Join(" ", _job.Arguments) : ""));
        if (!Directory.Exists(_job.WorkingDirectory)) Add("WorkingDirectory", JobCheckStatus.Fail, $"'{_job.WorkingDirectory}' does not exist");
    }

    /// <summary>The DataSyncPS that pwsh would autoload for the account: the first module folder of its
    /// PSModulePath (the account's own, all users', pwsh's) that holds one, its highest version.</summary>
    public void CheckModule(Version? current, string? importedPath)
    {
        if (importedPath is not null)
        {
            Add("Module", File.Exists(importedPath) ? JobCheckStatus.Pass : JobCheckStatus.Fail,
                File.Exists(importedPath) ? $"the script imports {importedPath}" : $"the script imports '{importedPath}', which does not exist");
            return;
        }
        foreach (var folder in ModuleFolders())
        {
            var dir = Path.Combine(folder, "DataSyncPS");
            if (!Directory.Exists(dir)) continue;
            var found = Directory.GetDirectories(dir)
                .Select(d => (Dir: d, Version: Version.TryParse(Path.GetFileName(d), out var v) ? v : null))
                .Where(x => x.Version is not null && File.Exists(Path.Combine(x.Dir, "DataSyncPS.psd1")))
                .OrderByDescending(x => x.Version).FirstOrDefault();
            var path = found.Version is not null ? Path.Combine(found.Dir, "DataSyncPS.psd1") : File.Exists(Path.Combine(dir, "DataSyncPS.psd1")) ? Path.Combine(dir, "DataSyncPS.psd1") : null;
            if (path is null) continue;
            var version = found.Version;
            if (current is not null && version is not null && version != current)
                Add("Module", JobCheckStatus.Warn, $"pwsh for {_job.RunAs} would import DataSyncPS {version} from {path}; this session has {current}");
            else Add("Module", JobCheckStatus.Pass, $"pwsh for {_job.RunAs} would import DataSyncPS {version?.ToString() ?? ""} from {path}".Replace("  ", " "));
            return;
        }
        Add("Module", JobCheckStatus.Fail,
            $"pwsh for {_job.RunAs} would not find DataSyncPS in {string.Join(", ", ModuleFolders())}: install it for all users (Install-PSResource DataSyncPS -Scope AllUsers) or Import-Module it by path in the script");
    }

    private IEnumerable<string> ModuleFolders()
    {
        if (AccountHome is not null)
            yield return OperatingSystem.IsWindows()
                ? Path.Combine(AccountHome, "Documents", "PowerShell", "Modules")
                : Path.Combine(AccountHome, ".local", "share", "powershell", "Modules");
        yield return OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "PowerShell", "Modules")
            : "/usr/local/share/powershell/Modules";
        var pwshHome = Path.GetDirectoryName(ResolveLink(_job.PwshPath));
        if (pwshHome is not null) yield return Path.Combine(pwshHome, "Modules");
    }

    private static string ResolveLink(string path)
    {
        try { return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path; }
        catch (IOException) { return path; }
    }

    /// <summary>The state store: those the script names, else the account's default (DATASYNCPS_HOME is not
    /// set by the scheduler, so it is in the account's profile).</summary>
    public void CheckStatePaths(IReadOnlyList<string> scriptPaths)
    {
        var paths = scriptPaths.Count > 0 ? scriptPaths
            : RunsAsCurrentUser ? [StateStore.DefaultPath]
            : AccountHome is not null ? [OperatingSystem.IsWindows()
                ? Path.Combine(AccountHome, "AppData", "Local", "DataSyncPS", "state.db")
                : Path.Combine(AccountHome, ".local", "share", "DataSyncPS", "state.db")]
            : [];
        if (paths.Count == 0) { Add("StatePath", JobCheckStatus.Warn, $"the profile of {_job.RunAs} is not known here: give Export-SyncBatch -StatePath in the script"); return; }
        foreach (var path in paths)
        {
            var folder = Path.GetDirectoryName(path)!;
            if (File.Exists(path)) Add("StatePath", JobCheckStatus.Pass, $"{path} (exists)", path);
            else if (AccountHome is not null && !Directory.Exists(AccountHome) && path.StartsWith(AccountHome, StringComparison.Ordinal))
                Add("StatePath", JobCheckStatus.Fail, $"{path}: the home folder {AccountHome} of {_job.RunAs} does not exist; give Export-SyncBatch -StatePath a folder it can write", path);
            else Add("StatePath", JobCheckStatus.Pass, $"{path} ({(Directory.Exists(folder) ? "created by the first export" : "created with its folder by the first export")})", path);
        }
    }

    public void CheckLog()
    {
        if (_job.Scheduler == JobScheduler.Systemd)
        {
            Add("LogPath", JobCheckStatus.Pass, $"the journal: journalctl {(_job.Scope == JobScope.User ? "--user-unit" : "-u")} {SystemdUnits.ServiceName(_job.Name)}");
            return;
        }
        var folder = Path.GetDirectoryName(_job.LogPath)!;
        if (!Directory.Exists(folder)) { Add("LogPath", JobCheckStatus.Fail, $"{_job.LogPath}: the folder {folder} does not exist (Register-SyncJob creates it)", _job.LogPath); return; }
        if (!OperatingSystem.IsWindows() && !RunsAsCurrentUser && !SystemdUnits.IsRoot(_job.RunAs) && UnixAccount.Find(_job.RunAs) is { } account)
        {
            var mode = File.GetUnixFileMode(File.Exists(_job.LogPath) ? _job.LogPath : folder);
            var owner = FileOwner(File.Exists(_job.LogPath) ? _job.LogPath : folder);
            var writable = (mode & UnixFileMode.OtherWrite) != 0
                || (owner is { } o && ((o.Uid == account.Uid && (mode & UnixFileMode.UserWrite) != 0) || (account.InGroup(o.Gid) && (mode & UnixFileMode.GroupWrite) != 0)));
            if (!writable)
            {
                Add("LogPath", JobCheckStatus.Fail, $"{_job.LogPath}: {account.Name} cannot write there; run: chown {account.Name} '{(File.Exists(_job.LogPath) ? _job.LogPath : folder)}'", _job.LogPath);
                return;
            }
        }
        Add("LogPath", JobCheckStatus.Pass, _job.LogPath, _job.LogPath);
    }

    /// <summary>The secret stores the account reads, and each secret name the script uses.</summary>
    public void CheckSecrets(IReadOnlyList<string> namesUsed)
    {
        var readable = new Dictionary<string, SecretScope>(StringComparer.OrdinalIgnoreCase);
        // The account's own store: readable by the account; listed only when that is the current user.
        if (RunsAsCurrentUser)
        {
            foreach (var s in SafeList(SecretScope.User)) readable.TryAdd(s.Name, SecretScope.User);
            Add("Secrets", JobCheckStatus.Pass, $"User store {SecretLocation.For(SecretScope.User).Folder}: {Names(SecretScope.User, readable)}");
        }
        var machine = SecretLocation.For(SecretScope.Machine);
        var (canRead, why) = MachineStoreReadable(machine);
        if (!Directory.Exists(machine.Folder))
            Add("Secrets", namesUsed.Count > 0 && readable.Count == 0 ? JobCheckStatus.Warn : JobCheckStatus.Pass, $"Machine store {machine.Folder}: none saved yet (Save-SyncSecret -Scope Machine -Reader ...)");
        else if (canRead)
        {
            foreach (var s in SafeList(SecretScope.Machine)) readable.TryAdd(s.Name, SecretScope.Machine);
            Add("Secrets", JobCheckStatus.Pass, $"Machine store {machine.Folder}, readable by {_job.RunAs} ({why}): {Names(SecretScope.Machine, readable)}");
        }
        else Add("Secrets", namesUsed.Count > 0 ? JobCheckStatus.Fail : JobCheckStatus.Warn, $"Machine store {machine.Folder}: {_job.RunAs} cannot read it ({why})");

        // Where each name is saved at all, as far as this session can see.
        var saved = new Dictionary<string, SecretScope>(StringComparer.OrdinalIgnoreCase);
        foreach (var scope in new[] { SecretScope.User, SecretScope.Machine })
            foreach (var s in SafeList(scope)) saved.TryAdd(s.Name, scope);
        foreach (var name in namesUsed.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (readable.TryGetValue(name, out var scope))
                Add("Secret", JobCheckStatus.Pass, $"'{name}' is in the {scope} store, which {_job.RunAs} can read", name);
            else if (saved.TryGetValue(name, out var where))
                Add("Secret", JobCheckStatus.Fail, where == SecretScope.User
                    ? $"'{name}' is in your User store, which {_job.RunAs} cannot read: save it with Save-SyncSecret -Name {name} -Scope Machine -Reader <a group {_job.RunAs} is in>"
                    : $"'{name}' is in the Machine store, which {_job.RunAs} cannot read ({why})", name);
            else
                Add("Secret", JobCheckStatus.Fail, $"'{name}' is saved in no store: save it with Save-SyncSecret -Name {name} -Scope Machine -Reader <a group {_job.RunAs} is in>", name);
        }
    }

    private static (uint Uid, uint Gid)? FileOwner(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try { return UnixFileOwner.Of(path) is { } o ? (o.Uid, o.Gid) : null; }
        catch (IOException) { return null; }
    }

    private static IReadOnlyList<SyncSecretInfo> SafeList(SecretScope scope)
    {
        try { return SecretStore.Open(scope).List(); }
        catch (Exception ex) when (ex is SyncException or IOException or UnauthorizedAccessException) { return []; }
    }

    private static string Names(SecretScope scope, Dictionary<string, SecretScope> readable)
    {
        var names = readable.Where(p => p.Value == scope).Select(p => p.Key).ToList();
        return names.Count == 0 ? "no secrets" : $"{names.Count} secret(s): {string.Join(", ", names)}";
    }

    private (bool CanRead, string Why) MachineStoreReadable(SecretLocation machine)
    {
        if (OperatingSystem.IsWindows())
        {
            var (userId, _) = TaskDefinitionXml.Principal(_job.RunAs);
            return userId == "S-1-5-18" ? (true, "SYSTEM") : (true, "readers named with Save-SyncSecret -Reader; not verified here");
        }
        if (SystemdUnits.IsRoot(_job.RunAs)) return (true, "root");
        if (!Directory.Exists(machine.Folder)) return (false, "no store");
        var account = UnixAccount.Find(_job.RunAs);
        var owner = FileOwner(machine.Folder);
        if (account is null || owner is null) return (false, "the account or the folder's group could not be looked up");
        var mode = File.GetUnixFileMode(machine.Folder);
        if (owner.Value.Uid == account.Uid) return (true, "its owner");
        if (account.InGroup(owner.Value.Gid) && (mode & UnixFileMode.GroupRead) != 0 && (mode & UnixFileMode.GroupExecute) != 0)
            return (true, $"member of the folder's group {owner.Value.Gid}");
        return (false, $"not in the folder's group (gid {owner.Value.Gid}); add it: usermod -aG <group> {_job.RunAs}, or save with -Reader <a group it is in>");
    }
}
