using System.IO.Compression;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Batches;

/// <summary>Where and how batch files are cut and compressed.</summary>
public sealed class BatchOptions
{
    public required string OutputDirectory { get; init; }
    public required string Stream { get; init; }
    /// <summary>Rows per batch file; 0 for no row limit.</summary>
    public int BatchSize { get; init; } = 50_000;
    /// <summary>Uncompressed JSONL bytes per batch file; 0 for no byte limit. A single row larger
    /// than this is refused (RowTooLarge) rather than written to a batch of its own.</summary>
    public long MaxBatchBytes { get; init; }
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>The same options with an absolute folder: batch paths are recorded in the state store and
    /// must still be right when a sender runs from another current directory.</summary>
    public BatchOptions WithAbsoluteFolder() => new()
    {
        OutputDirectory = Path.GetFullPath(OutputDirectory),
        Stream = Stream,
        BatchSize = BatchSize,
        MaxBatchBytes = MaxBatchBytes,
        CompressionLevel = CompressionLevel,
    };

    public void Validate()
    {
        if (BatchSize < 0) throw new SyncException(SyncErrorKind.InvalidArgument, "-BatchSize cannot be negative.");
        if (MaxBatchBytes < 0) throw new SyncException(SyncErrorKind.InvalidArgument, "-MaxBatchBytes cannot be negative.");
        if (BatchSize == 0 && MaxBatchBytes == 0)
            throw new SyncException(SyncErrorKind.InvalidArgument, "-BatchSize 0 needs -MaxBatchBytes: a batch needs a row or a byte limit.");
    }

    /// <summary>The stream's name made safe for a file name (schema.table keeps its dot).</summary>
    public string FilePrefix
    {
        get
        {
            var invalid = Path.GetInvalidFileNameChars().Concat(['/', '\\', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
            var chars = Stream.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray();
            var s = new string(chars).Trim('.', ' ');
            return s.Length == 0 ? "stream" : s;
        }
    }

    public string FileName(long sequence) => $"{FilePrefix}-{sequence:D6}.jsonl.gz";

    /// <summary>What the path of every batch file of the stream starts with; the sequence follows.
    /// Other streams can share it (the same table of another source, or a stream name that differs only
    /// in characters a file name cannot hold).</summary>
    public string FilePathPrefix => Path.Combine(OutputDirectory, FilePrefix + "-");

    /// <summary>A batch is written under this name and renamed once complete; a crash leaves only these.</summary>
    public string TemporaryFileName() => $"{FilePrefix}-{Guid.NewGuid():N}{TemporarySuffix}";

    public const string TemporarySuffix = ".jsonl.gz.tmp";

    /// <summary>Whether <paramref name="fileName"/> is exactly what <see cref="TemporaryFileName"/> makes
    /// for <paramref name="prefix"/>: prefix, dash, 32 hex digits, suffix. A looser match ("prefix-*")
    /// also takes the live temporary files of a stream named "prefix-something".</summary>
    public static bool IsTemporaryFileName(string prefix, string fileName)
    {
        const int guidLength = 32;
        if (fileName.Length != prefix.Length + 1 + guidLength + TemporarySuffix.Length
            || !fileName.StartsWith(prefix + "-", StringComparison.Ordinal)
            || !fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal)) return false;
        return fileName.AsSpan(prefix.Length + 1, guidLength).IndexOfAnyExcept("0123456789abcdef") < 0;
    }
}
