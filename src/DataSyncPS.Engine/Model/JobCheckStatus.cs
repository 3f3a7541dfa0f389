namespace DataSyncPS;

/// <summary>How one check of Test-SyncJob came out.</summary>
public enum JobCheckStatus
{
    Pass,
    /// <summary>The run may work, but something deserves a look (a different module version, a source that could not be checked).</summary>
    Warn,
    /// <summary>An unattended run would fail here.</summary>
    Fail,
}
