namespace DataSyncPS.Engine.Batches;

/// <summary>A batch file that is complete on disk (renamed into place, flushed): what gets committed.</summary>
/// <param name="Tag">What the producer attached at the batch's close (its keyset watermark, for example).</param>
public sealed record ClosedBatchFile(
    long Sequence,
    string Path,
    long Rows,
    long Bytes,
    long UncompressedBytes,
    string Sha256,
    object? FirstCursor,
    object? LastCursor,
    object? Tag);
