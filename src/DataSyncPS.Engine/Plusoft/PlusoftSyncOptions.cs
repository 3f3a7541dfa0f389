namespace DataSyncPS.Engine.Plusoft;

/// <summary>How Sync-Plusoft runs an entity: from which source, to which client, in what batches, where
/// its state and route logs go.</summary>
public sealed class PlusoftSyncOptions
{
    public required SyncSource Source { get; init; }
    public required PlusoftClient Client { get; init; }
    /// <summary>Records per POST (1 to the API's 5,000).</summary>
    public int BatchSize { get; init; } = 1_000;
    public string? StatePath { get; init; }
    /// <summary>-LookbackDays: overrides each incremental entity's LookbackDays of the mapping; null: the mapping's.</summary>
    public int? LookbackDays { get; init; }
    /// <summary>The Logs folder of the seed's layout (<see cref="PlusoftRouteLog"/>); null: no route logs.</summary>
    public string? LogDirectory { get; init; }
    /// <summary>The clock of route log names and lines (tests fix it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (BatchSize is < 1 or > PlusoftContract.MaxRecordsPerCall)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"-BatchSize must be 1 to {PlusoftContract.MaxRecordsPerCall:N0} (the most records Plusoft takes in one call).");
        if (LookbackDays is < 0 or > EntityMapping.MaxLookbackDays)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"-LookbackDays must be 0 to {EntityMapping.MaxLookbackDays}.");
    }
}
