namespace DataSyncPS;

/// <summary>One closed batch file: complete on disk and recorded in the state store's outbox.</summary>
public sealed class SyncBatch
{
    public required string Source { get; init; }
    public required string Stream { get; init; }
    public required long Sequence { get; init; }
    public required string Path { get; init; }
    public required long Rows { get; init; }
    /// <summary>Size of the gzip file.</summary>
    public required long Bytes { get; init; }
    /// <summary>Size of the JSONL inside.</summary>
    public long UncompressedBytes { get; init; }
    /// <summary>SHA-256 of the file, lowercase hex.</summary>
    public required string Sha256 { get; init; }
    public object? FirstCursor { get; init; }
    public object? LastCursor { get; init; }
    /// <summary>The stream position this batch advanced the watermark to (serialised keyset or log position).</summary>
    public string? PendingWatermark { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.Now;
    /// <summary>The state store that holds this batch's record, so a sender can confirm it there.</summary>
    public required string StatePath { get; init; }
    /// <summary>Key of the stream in the state store (source identity and stream).</summary>
    public required string StreamKey { get; init; }

    /// <summary>Idempotency key for delivery (DESIGN contract 4): SHA-256 and sequence.</summary>
    public string IdempotencyKey => Engine.State.DeliveryKey.For(Sha256, Sequence);

    public override string ToString() => Path;
}
