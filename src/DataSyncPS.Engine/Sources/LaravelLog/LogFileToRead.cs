namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>A log file opened for one run, with where this run starts reading it.</summary>
public sealed class LogFileToRead : IDisposable
{
    public required string Name { get; init; }
    public required string FullPath { get; init; }
    /// <summary>Open for reading, shared for writing and deleting (Laravel keeps appending, logrotate
    /// renames and deletes), so the run reads the same file even if it is rotated meanwhile.</summary>
    public required FileStream Stream { get; init; }
    public required LogFileIdentity Identity { get; init; }
    public required long Length { get; init; }
    public long StartOffset { get; init; }
    public long StartLine { get; init; } = 1;
    /// <summary>The file Laravel is writing to: its unterminated last entry is left for the next run.
    /// Any other file is finished, so an unterminated last entry there is taken as it is.</summary>
    public bool IsActive { get; init; }

    public void Dispose() => Stream.Dispose();

    public override string ToString() => $"{Name}@{StartOffset}";
}
