namespace DataSyncPS.Engine.Export;

/// <summary>What a finished export did.</summary>
public sealed record ExportSummary(string Stream, long Rows, long Batches, string? Watermark);
