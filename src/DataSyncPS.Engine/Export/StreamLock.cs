using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Export;

/// <summary>One export of a stream into a folder at a time, across processes; the OS drops the lock if
/// the process dies, so a crash never leaves it held.</summary>
internal sealed class StreamLock : IDisposable
{
    private readonly FileStream _file;

    private StreamLock(FileStream file) => _file = file;

    public static StreamLock Acquire(string directory, string prefix, string stream)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "." + prefix + ".lock");
        try
        {
            return new StreamLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException ex)
        {
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"Stream '{stream}' is being exported into '{directory}' by another process; wait for it to finish.", ex, stream);
        }
    }

    /// <summary>Deletes temporary files a crashed run left (never renamed, so never recorded).</summary>
    public static int RemoveStaleTemporaryFiles(string directory, string prefix)
    {
        var n = 0;
        foreach (var f in Directory.EnumerateFiles(directory, prefix + "-*" + Batches.BatchOptions.TemporarySuffix))
        {
            if (!Batches.BatchOptions.IsTemporaryFileName(prefix, Path.GetFileName(f))) continue;
            try { File.Delete(f); n++; } catch (IOException) { }
        }
        return n;
    }

    public void Dispose() => _file.Dispose();
}
