namespace DataSyncPS;

/// <summary>What became of a batch Sync-Plusoft sent.</summary>
public enum PlusoftBatchStatus
{
    /// <summary>The API stored it (2xx).</summary>
    Delivered,
    /// <summary>The API refused it (4xx with a message), or a record could not be mapped; it stays
    /// pending until Sync-Plusoft -Pending delivers it.</summary>
    Rejected,
}
