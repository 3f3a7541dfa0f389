namespace DataSyncPS.Engine.State;

/// <summary>Where a batch is in the outbox: written (waiting to be sent) or confirmed by a sender.</summary>
public enum BatchStatus
{
    Written,
    Confirmed,
}
