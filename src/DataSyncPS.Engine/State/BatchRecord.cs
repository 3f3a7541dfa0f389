namespace DataSyncPS.Engine.State;

/// <summary>A batch as the outbox records it.</summary>
public sealed record BatchRecord(long Sequence, string Path, long Rows, long Bytes, string Sha256, string? FirstCursor, string? LastCursor)
{
    public string StreamKey { get; init; } = "";
    /// <summary>The stream's name as its exports show it (file names, SyncBatch.Stream).</summary>
    public string Stream { get; init; } = "";
    public string? Watermark { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public BatchStatus Status { get; init; } = BatchStatus.Written;

    /// <summary>Idempotency key for delivery (DESIGN contract 4).</summary>
    public string IdempotencyKey => DeliveryKey.For(Sha256, Sequence);
}
