using System.IO.Compression;

namespace DataSyncPS.Engine.Export;

/// <summary>What Export-SyncBatch was asked to do.</summary>
public sealed class ExportRequest
{
    public required SyncSource Source { get; init; }
    public string? Table { get; init; }
    public string? Query { get; init; }
    /// <summary>Stream name; defaults to the table name (or "laravel" for logs).</summary>
    public string? Stream { get; init; }
    public required string OutputDirectory { get; init; }
    public int BatchSize { get; init; } = 50_000;
    public long MaxBatchBytes { get; init; }
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;
    public bool Incremental { get; init; }
    public string? CursorColumn { get; init; }
    public IReadOnlyList<string>? KeyColumns { get; init; }
    public int LookbackSeconds { get; init; }
    /// <summary>Rows per keyset page of an incremental export.</summary>
    public int PageSize { get; init; } = 50_000;
    public string? StatePath { get; init; }
    /// <summary>Forget the stream's watermark first (under the stream's lock), so the export starts over.</summary>
    public bool Reset { get; init; }
    /// <summary>Read through the provider's data reader even where a faster way exists (tests compare the two).</summary>
    internal bool DataReaderOnly { get; init; }
}
