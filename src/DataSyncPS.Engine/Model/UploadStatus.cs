namespace DataSyncPS;

/// <summary>How a batch's delivery ended.</summary>
public enum UploadStatus
{
    /// <summary>DataSnap confirmed the upload; the batch is confirmed in its outbox.</summary>
    Confirmed,
    /// <summary>Not delivered: the error says why; the batch stays in the outbox for -Pending.</summary>
    Failed,
}
