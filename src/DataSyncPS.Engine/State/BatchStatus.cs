namespace DataSyncPS.Engine.State;

/// <summary>Where a batch is in the outbox: written (waiting to be sent), confirmed by a sender, or
/// rejected by the API it was sent to (Sync-Plusoft: kept for -Pending, never picked up by a file sender).</summary>
public enum BatchStatus
{
    Written,
    Confirmed,
    Rejected,
}
