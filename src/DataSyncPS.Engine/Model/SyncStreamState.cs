namespace DataSyncPS;

/// <summary>One stream of a state store, as Get-SyncState shows it: where it stands, what waits in its
/// outbox and how its last run ended.</summary>
public sealed class SyncStreamState
{
    /// <summary>The stream's name as its batches carry it.</summary>
    public required string Stream { get; init; }
    /// <summary>The source's canonical identity (provider, server:port, database or file).</summary>
    public required string Source { get; init; }
    /// <summary>The stream's canonical name: the schema-qualified table as the catalog names it, or the -Stream given.</summary>
    public required string CanonicalName { get; init; }
    /// <summary>The last committed position (keyset values or log files and offsets); null before the first batch or after a reset.</summary>
    public string? Watermark { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long NextSequence { get; init; }
    /// <summary>Batches written but not confirmed by a sender.</summary>
    public long PendingBatches { get; init; }
    public long PendingRows { get; init; }
    public long PendingBytes { get; init; }
    public long ConfirmedBatches { get; init; }
    public RunStatus? LastRunStatus { get; init; }
    public DateTimeOffset? LastRunStartedAt { get; init; }
    public DateTimeOffset? LastRunEndedAt { get; init; }
    public long? LastRunRows { get; init; }
    public string? LastRunMessage { get; init; }
    public required string StatePath { get; init; }
    public required string StreamKey { get; init; }

    public override string ToString() => Stream;
}
