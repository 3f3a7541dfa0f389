namespace DataSyncPS;

/// <summary>Where a logging setting lives. The session's wins over the user's, which wins over the machine's.</summary>
public enum SyncLoggingScope
{
    /// <summary>This PowerShell session only (the runspace); not saved.</summary>
    Session,

    /// <summary>The current user's logging.json in the data folder (DATASYNCPS_HOME).</summary>
    User,

    /// <summary>The machine's logging.json (DATASYNCPS_MACHINE_HOME, %ProgramData%\DataSyncPS or
    /// /etc/datasyncps): what scheduled jobs running as SYSTEM or a service account pick up.</summary>
    Machine,
}
