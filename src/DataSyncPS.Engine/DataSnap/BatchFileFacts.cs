using System.IO.Compression;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.DataSnap;

/// <summary>What a batch file given by path is: its outbox record when a state store knows it (so it is
/// confirmed there), else its rows counted from the file and its own hash as the key.</summary>
public static class BatchFileFacts
{
    public static OutboxBatch Describe(string path, string? statePath)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new SyncException(SyncErrorKind.PathNotFound, $"Batch file '{full}' does not exist.", target: full);
        using (var store = new StateStore(statePath))
        {
            var record = store.FindBatchByPath(full);
            if (record is not null) return OutboxBatch.From(record, store.Path);
        }
        try
        {
            long rows = 0;
            using (var gz = new GZipStream(File.OpenRead(full), CompressionMode.Decompress))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = gz.Read(buffer, 0, buffer.Length)) > 0) rows += buffer.AsSpan(0, n).Count((byte)'\n');
            }
            using var file = File.OpenRead(full);
            var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(file)).ToLowerInvariant();
            var name = Path.GetFileName(full);
            return new OutboxBatch(full, name.Split('-')[0], 0, rows, sha, null, null);
        }
        catch (InvalidDataException ex)
        {
            throw new SyncException(SyncErrorKind.BatchCorrupt, $"'{full}' is not a gzip batch file (or it is damaged): {ex.Message}", ex, full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SyncException(SyncErrorKind.PathNotFound, $"Batch file '{full}' cannot be read: {ex.Message}", ex, full);
        }
    }
}
