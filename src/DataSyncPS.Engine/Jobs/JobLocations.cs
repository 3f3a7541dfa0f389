using DataSyncPS.Engine.Secrets;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Jobs;

/// <summary>
/// Where a job's files go. DATASYNCPS_JOB_ROOT (for tests and packaging) moves every one of them below one
/// folder — units, cron files, task XML, manifests, logs — and the scheduler commands (systemctl, crontab,
/// schtasks) are then recorded in {root}/scheduler-commands.log instead of run.
/// </summary>
public sealed class JobLocations
{
    public const string RootVariable = "DATASYNCPS_JOB_ROOT";

    private readonly string? _root;
    private readonly string _userHome;

    public JobLocations(string? root, string userHome)
    {
        _root = string.IsNullOrEmpty(root) ? null : Path.GetFullPath(root);
        _userHome = userHome;
    }

    public static JobLocations Current() => new(Environment.GetEnvironmentVariable(RootVariable),
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Set when the files are redirected and nothing reaches the real scheduler.</summary>
    public string? Root => _root;

    public string CommandLog => Path.Combine(_root ?? throw new InvalidOperationException("Not redirected."), "scheduler-commands.log");

    public string SystemdFolder(JobScope scope) => scope == JobScope.System
        ? Under("/etc/systemd/system", "systemd", "system")
        : Under(Path.Combine(_userHome, ".config", "systemd", "user"), "systemd", "user");

    public string CronFolder => Under("/etc/cron.d", "cron.d");

    /// <summary>Where the job manifests (and the task XML on Windows) are kept: the machine's data folder
    /// for System jobs, the user's for User jobs.</summary>
    public string ManifestFolder(JobScope scope) => _root is not null
        ? Path.Combine(_root, "jobs", scope.ToString().ToLowerInvariant())
        : Path.Combine(scope == JobScope.System ? SecretLocation.MachineHome : StateStore.DataHome, "jobs");

    public string ManifestPath(JobScope scope, string name) => Path.Combine(ManifestFolder(scope), name + ".json");

    /// <summary>Log files of cron and Task Scheduler jobs: /var/log/datasyncps, %ProgramData%\DataSyncPS\logs,
    /// or the user's data folder's logs/.</summary>
    public string LogFolder(JobScope scope)
    {
        if (_root is not null) return Path.Combine(_root, "logs");
        if (scope == JobScope.User) return Path.Combine(StateStore.DataHome, "logs");
        return OperatingSystem.IsWindows() ? Path.Combine(SecretLocation.MachineHome, "logs") : "/var/log/datasyncps";
    }

    private string Under(string real, params string[] redirected) => _root is null ? real : Path.Combine([_root, .. redirected]);
}
