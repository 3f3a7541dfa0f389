using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>An object read back whole from a store, to compare with what was written.</summary>
public static class StoredBytes
{
    public static async Task<byte[]> ReadAsync(IBackupStorage storage, string key)
    {
        await using var s = await storage.OpenReadAsync(key, CancellationToken.None);
        using var m = new MemoryStream();
        await s.CopyToAsync(m);
        return m.ToArray();
    }
}
