namespace DataSyncPS;

/// <summary>One batch delivered to DataSnap (or that failed to be).</summary>
public sealed class DataSnapUpload
{
    public required string Schema { get; init; }
    public required string Stream { get; init; }
    public required long Sequence { get; init; }
    public required string Path { get; init; }
    public long Rows { get; init; }
    public long Bytes { get; init; }
    public string? UploadId { get; init; }
    public required UploadStatus Status { get; init; }
    /// <summary>What DataSnap's confirm call answered as the upload's status (e.g. "confirmed").</summary>
    public string? RemoteStatus { get; init; }
    /// <summary>HTTP calls made for this batch, retries included.</summary>
    public int Attempts { get; init; }
    public TimeSpan Duration { get; init; }
    public required string IdempotencyKey { get; init; }
    public string? Error { get; init; }
    /// <summary>Why it failed, as an error id (Unauthorized, BatchCorrupt, RemoteCallFailed...).</summary>
    public SyncErrorKind? ErrorKind { get; init; }

    public override string ToString() => $"{Stream}#{Sequence} {Status}";
}
