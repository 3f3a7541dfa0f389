namespace DataSyncPS.Engine.State;

/// <summary>One export run of a stream.</summary>
public sealed record RunRecord(long Id, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, RunStatus Status, long Rows, long Batches, string? Message);
