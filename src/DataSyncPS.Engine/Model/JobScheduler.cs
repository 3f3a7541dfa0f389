namespace DataSyncPS;

/// <summary>What runs a registered job.</summary>
public enum JobScheduler
{
    /// <summary>A systemd service and timer (Linux with systemd).</summary>
    Systemd,

    /// <summary>A cron entry: a file in /etc/cron.d (System scope) or a block of the user's crontab (User scope).</summary>
    Cron,

    /// <summary>A Windows Task Scheduler task, registered from its task XML.</summary>
    TaskScheduler,
}
