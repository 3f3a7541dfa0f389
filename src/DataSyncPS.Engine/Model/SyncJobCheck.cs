namespace DataSyncPS;

/// <summary>One answer of Test-SyncJob: what an unattended run of the job will use, and whether it works.</summary>
public sealed class SyncJobCheck
{
    public required string Job { get; init; }
    /// <summary>What was checked: Account, Script, Pwsh, Module, Secret, Source, StatePath, LogPath, Schedule...</summary>
    public required string Check { get; init; }
    public required JobCheckStatus Status { get; init; }
    public required string Detail { get; init; }
    /// <summary>The secret, source or path the check is about, when there are several of a kind.</summary>
    public string? Target { get; init; }

    public override string ToString() => $"{Check}: {Status}: {Detail}";
}
