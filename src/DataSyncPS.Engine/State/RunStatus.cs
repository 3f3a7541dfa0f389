namespace DataSyncPS;

/// <summary>How an export run ended, as the run history keeps it.</summary>
public enum RunStatus
{
    Running,
    Succeeded,
    /// <summary>Stopped by Ctrl+C or a termination signal; the open batch was discarded.</summary>
    Stopped,
    Failed,
}
