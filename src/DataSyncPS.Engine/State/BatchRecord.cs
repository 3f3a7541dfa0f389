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
    /// <summary>The serialised key (<see cref="State.Watermark"/>) of the batch's first row, where a sender
    /// must read the batch's rows again (Sync-Plusoft's rejected batches); null for batch files.</summary>
    public string? FirstKey { get; init; }

    /// <summary>Idempotency key for delivery (DESIGN contract 4).</summary>
    public string IdempotencyKey => DeliveryKey.For(Sha256, Sequence);
}
