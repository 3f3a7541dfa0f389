namespace DataSyncPS;

/// <summary>Whose scheduler holds a job.</summary>
public enum JobScope
{
    /// <summary>The machine's: /etc/systemd/system, /etc/cron.d, Task Scheduler's \DataSyncPS\ folder; needs root or an elevated Administrator.</summary>
    System,

    /// <summary>The current user's: ~/.config/systemd/user or the user's crontab; runs as that user.</summary>
    User,
}
