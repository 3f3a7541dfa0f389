namespace DataSyncPS.Engine.Batches;

/// <summary>The folder batch files go to, made ready before anything else of a run changes: created,
/// proved writable, and cleared of temporary files that crashed runs left (never of a live one).</summary>
public static class OutputFolder
{
    /// <summary>Returns how many stale temporary files were removed.</summary>
    public static int Prepare(BatchOptions options)
    {
        var folder = options.OutputDirectory;
        if (File.Exists(folder))
            throw new SyncException(SyncErrorKind.OutputNotWritable, $"The output folder '{folder}' is a file, not a folder.", target: folder);
        var probe = Path.Combine(folder, options.TemporaryFileName());
        try
        {
            Directory.CreateDirectory(folder);
            // Creating the first batch's kind of file is the only honest test of "writable" (ACLs,
            // read-only mounts, quotas): better to fail here than after the run has started.
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1)) { }
            File.Delete(probe);
        }
        catch (Exception ex) when (OutputFailure.From(ex, folder) is { } failure)
        {
            throw failure;
        }
        return RemoveStaleTemporaryFiles(folder, options.FilePrefix);
    }

    /// <summary>Deletes temporary files a crashed run left (never renamed, so never recorded). A live
    /// writer holds its temporary file locked, so a file that cannot be locked is someone's work in
    /// progress (another state store exporting into the same folder) and stays.</summary>
    private static int RemoveStaleTemporaryFiles(string folder, string prefix)
    {
        var n = 0;
        foreach (var f in Directory.EnumerateFiles(folder, prefix + "-*" + BatchOptions.TemporarySuffix))
        {
            if (!BatchOptions.IsTemporaryFileName(prefix, Path.GetFileName(f))) continue;
            try
            {
                // Deleted while locked, so no writer can pick it up in between.
                using (new FileStream(f, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
                n++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return n;
    }
}
