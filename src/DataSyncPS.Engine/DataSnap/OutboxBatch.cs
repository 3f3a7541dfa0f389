using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.DataSnap;

/// <summary>A batch to deliver: where its file is, what the outbox recorded about it, and which state
/// store to confirm it in (null for a file given by path only).</summary>
public sealed record OutboxBatch(string Path, string Stream, long Sequence, long Rows, string Sha256, string? StreamKey, string? StatePath)
{
    public string IdempotencyKey => DeliveryKey.For(Sha256, Sequence);

    public static OutboxBatch From(SyncBatch batch) =>
        new(batch.Path, batch.Stream, batch.Sequence, batch.Rows, batch.Sha256, batch.StreamKey, batch.StatePath);

    public static OutboxBatch From(BatchRecord record, string statePath) =>
        new(record.Path, record.Stream, record.Sequence, record.Rows, record.Sha256, record.StreamKey, statePath);
}
