namespace DataSyncPS.Engine.State;

/// <summary>A batch as the outbox records it.</summary>
public sealed record BatchRecord(long Sequence, string Path, long Rows, long Bytes, string Sha256, string? FirstCursor, string? LastCursor)
{
    public string StreamKey { get; init; } = "";
    public string? Watermark { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string Status { get; init; } = "Written";
}
