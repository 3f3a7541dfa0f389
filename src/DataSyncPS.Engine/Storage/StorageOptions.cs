using DataSyncPS.Engine.Http;

namespace DataSyncPS.Engine.Storage;

/// <summary>How to reach a destination, and how to upload to it.</summary>
public sealed class StorageOptions
{
    public StorageCredential? Credential { get; init; }

    /// <summary>Size of the first multipart parts, S3's smallest by default; memory is this times (parts in
    /// flight + 1). Later parts grow so that 10,000 parts hold about 300 GB.</summary>
    public int PartSize { get; init; } = 5 << 20;

    /// <summary>Parts uploaded while the next one fills. One is enough to keep the dump tool busy (a
    /// part uploads faster than a dump produces it) and keeps memory at two parts, not three.</summary>
    public int PartsInFlight { get; init; } = 1;

    /// <summary>The module's retry policy for every call to the store; ReadTimeout is per attempt (a
    /// part's upload included), hence longer than an API call's.</summary>
    public HttpPolicyOptions Retry { get; init; } = DefaultRetry();

    public static HttpPolicyOptions DefaultRetry(int maxAttempts = 6) => new() { MaxAttempts = maxAttempts, ReadTimeout = TimeSpan.FromMinutes(5) };
}
