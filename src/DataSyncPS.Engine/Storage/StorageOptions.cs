using DataSyncPS.Engine.Http;

namespace DataSyncPS.Engine.Storage;

/// <summary>How to reach a destination, and how to upload to it.</summary>
public sealed class StorageOptions
{
    public StorageCredential? Credential { get; init; }

    /// <summary>The size of every multipart part, as the admin gave it (-PartSizeMB); null chooses it from
    /// the object's expected size (<see cref="PartSizing"/>). Memory is this times (parts in flight + 1).</summary>
    public int? PartSize { get; init; }

    /// <summary>Parts one multipart upload may have: S3's and R2's 10,000 (tests bring it down).</summary>
    internal int MaxParts { get; init; } = PartSizing.S3MaxParts;

    /// <summary>Parts uploaded while the next one fills. One is enough to keep the dump tool busy (a
    /// part uploads faster than a dump produces it) and keeps memory at two parts, not three.</summary>
    public int PartsInFlight { get; init; } = 1;

    /// <summary>The module's retry policy for every call to the store; ReadTimeout is per attempt (a
    /// part's upload included), hence longer than an API call's.</summary>
    public HttpPolicyOptions Retry { get; init; } = DefaultRetry();

    /// <summary>Lines for -Verbose: each retried call, the part size chosen. Called from any thread;
    /// never given a key, a signature or a query string.</summary>
    public Action<string>? Verbose { get; init; }

    public static HttpPolicyOptions DefaultRetry(int maxAttempts = 6) => new() { MaxAttempts = maxAttempts, ReadTimeout = TimeSpan.FromMinutes(5) };
}
