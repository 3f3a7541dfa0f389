namespace DataSyncPS.Engine.Storage;

/// <summary>How to reach a destination, and how to upload to it.</summary>
public sealed class StorageOptions
{
    public StorageCredential? Credential { get; init; }

    /// <summary>Size of the first multipart parts; memory is about this times (parts in flight + 1).
    /// Later parts grow so that 10,000 parts hold several hundred GB.</summary>
    public int PartSize { get; init; } = 8 << 20;

    /// <summary>Parts uploaded at the same time.</summary>
    public int PartsInFlight { get; init; } = 2;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxErrorRetry { get; init; } = 4;
}
