namespace DataSyncPS.Engine.Batches;

/// <summary>Turns a file system failure while writing batches into what the admin can act on: a full
/// disk, or a folder that cannot be written, naming the path (never a raw .NET exception).</summary>
public static class OutputFailure
{
    // errno on Linux/macOS (.NET puts the raw errno in HResult); Win32 codes as HRESULTs on Windows.
    private const int ENOSPC = 28, EDQUOT_Linux = 122, EDQUOT_Mac = 69, EROFS = 30;
    private const int ErrorDiskFull = unchecked((int)0x80070070), ErrorHandleDiskFull = unchecked((int)0x80070027);

    public static bool IsDiskFull(Exception ex) =>
        ex is IOException { HResult: var h } && (OperatingSystem.IsWindows()
            ? h is ErrorDiskFull or ErrorHandleDiskFull
            : h == ENOSPC || h == (OperatingSystem.IsMacOS() ? EDQUOT_Mac : EDQUOT_Linux));

    /// <summary>The SyncException for a failure writing under <paramref name="folder"/>; null when
    /// <paramref name="ex"/> is not a file system failure.</summary>
    public static SyncException? From(Exception ex, string folder, string? file = null)
    {
        var where = file ?? folder;
        if (IsDiskFull(ex))
            return new SyncException(SyncErrorKind.DiskFull,
                $"The disk holding '{folder}' is full: '{Path.GetFileName(where)}' could not be written. Free space and run again; " +
                "the unfinished batch was discarded and the stream's watermark did not move.", ex, where);
        return ex switch
        {
            UnauthorizedAccessException => new SyncException(SyncErrorKind.OutputNotWritable,
                $"The output folder '{folder}' cannot be written: permission denied ({ex.Message}).", ex, where),
            IOException { HResult: EROFS } when !OperatingSystem.IsWindows() => new SyncException(SyncErrorKind.OutputNotWritable,
                $"The output folder '{folder}' is on a read-only file system.", ex, where),
            DirectoryNotFoundException => new SyncException(SyncErrorKind.OutputNotWritable,
                $"The output folder '{folder}' cannot be created: a part of its path is missing or is a file.", ex, where),
            IOException => new SyncException(SyncErrorKind.OutputNotWritable,
                $"Writing to the output folder '{folder}' failed: {ex.Message}", ex, where),
            _ => null,
        };
    }
}
