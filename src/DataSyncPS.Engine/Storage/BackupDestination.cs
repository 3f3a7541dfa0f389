using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Storage;

/// <summary>
/// A parsed <c>-Destination</c>: <c>s3://bucket/prefix</c> (AWS, or any S3-compatible store when an
/// endpoint is given), <c>r2://bucket/prefix</c> (Cloudflare R2: the account's endpoint, region
/// <c>auto</c>), or a folder. Holds no secret.
/// </summary>
public sealed partial class BackupDestination
{
    private BackupDestination(StorageKind kind, string? bucket, string prefix, string? folder, Uri? endpoint, string? region)
    {
        Kind = kind;
        Bucket = bucket;
        Prefix = prefix;
        Folder = folder;
        Endpoint = endpoint;
        Region = region;
    }

    public StorageKind Kind { get; }
    public string? Bucket { get; }
    /// <summary>Key prefix without leading or trailing '/', possibly empty.</summary>
    public string Prefix { get; }
    public string? Folder { get; }
    /// <summary>The S3 endpoint for R2 and S3-compatible stores (null: AWS's own for the region).</summary>
    public Uri? Endpoint { get; }
    public string? Region { get; }

    public bool IsObjectStore => Kind != StorageKind.Folder;

    /// <summary>The URI of a key in this destination, as results and messages show it.</summary>
    public string UriOf(string key) => Kind switch
    {
        StorageKind.Folder => System.IO.Path.Combine(Folder!, key.Replace('/', System.IO.Path.DirectorySeparatorChar)),
        StorageKind.R2 => $"r2://{Bucket}/{key}",
        _ => $"s3://{Bucket}/{key}",
    };

    /// <summary>Where this destination is, for messages (no secret: endpoints are shown without user info).</summary>
    public override string ToString() => Kind switch
    {
        StorageKind.Folder => Folder!,
        StorageKind.R2 => $"r2://{Bucket}/{Prefix}" + (Endpoint is null ? "" : $" at {Http.EndpointText.Mask(Endpoint)}"),
        StorageKind.S3Compatible => $"s3://{Bucket}/{Prefix} at {Http.EndpointText.Mask(Endpoint!)}",
        _ => $"s3://{Bucket}/{Prefix}",
    };

    /// <param name="destination">s3://bucket/prefix, r2://bucket/prefix, or a folder path (already resolved).</param>
    /// <param name="endpoint">-Endpoint: an S3-compatible store's URL (path-style addressing), or R2's.</param>
    /// <param name="region">-Region; R2 is always <c>auto</c>.</param>
    /// <param name="accountId">Cloudflare account id for r2:// without -Endpoint.</param>
    public static BackupDestination Parse(string destination, string? endpoint = null, string? region = null, string? accountId = null)
    {
        if (string.IsNullOrWhiteSpace(destination))
            throw new SyncException(SyncErrorKind.InvalidArgument, "The destination is empty.");
        var m = ObjectUri().Match(destination);
        if (!m.Success)
        {
            if (destination.Contains("://", StringComparison.Ordinal))
                throw new SyncException(SyncErrorKind.InvalidArgument,
                    $"The destination '{destination}' is not s3://bucket/prefix, r2://bucket/prefix or a folder.", target: destination);
            if (endpoint is not null)
                throw new SyncException(SyncErrorKind.InvalidArgument, "-Endpoint is for s3:// and r2:// destinations, not a folder.", target: destination);
            return new BackupDestination(StorageKind.Folder, null, "", destination, null, null);
        }
        var scheme = m.Groups["scheme"].Value.ToLowerInvariant();
        var bucket = m.Groups["bucket"].Value;
        var prefix = m.Groups["prefix"].Value.Trim('/');
        if (!ValidBucket().IsMatch(bucket))
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"'{bucket}' is not a bucket name (3-63 lower-case letters, digits, dots and hyphens).", target: destination);
        var endpointUri = endpoint is null ? null : ParseEndpoint(endpoint);
        if (scheme == "r2")
        {
            if (endpointUri is null)
            {
                accountId ??= Environment.GetEnvironmentVariable("CLOUDFLARE_ACCOUNT_ID") ?? Environment.GetEnvironmentVariable("R2_ACCOUNT_ID");
                if (string.IsNullOrWhiteSpace(accountId) || !AccountId().IsMatch(accountId))
                    throw new SyncException(SyncErrorKind.InvalidArgument,
                        "An r2:// destination needs the Cloudflare account id (-AccountId, or CLOUDFLARE_ACCOUNT_ID), or -Endpoint https://<account>.r2.cloudflarestorage.com.", target: destination);
                endpointUri = new Uri($"https://{accountId.ToLowerInvariant()}.r2.cloudflarestorage.com");
            }
            return new BackupDestination(StorageKind.R2, bucket, prefix, null, endpointUri, "auto");
        }
        return endpointUri is null
            ? new BackupDestination(StorageKind.S3, bucket, prefix, null, null, region)
            : new BackupDestination(StorageKind.S3Compatible, bucket, prefix, null, endpointUri, region ?? "us-east-1");
    }

    private static Uri ParseEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
            throw new SyncException(SyncErrorKind.InvalidArgument, $"-Endpoint '{Http.EndpointText.Mask(endpoint)}' is not an http(s) URL without user info.");
        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }

    [GeneratedRegex(@"^(?<scheme>s3|r2)://(?<bucket>[^/]*)(/(?<prefix>.*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectUri();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$")]
    private static partial Regex ValidBucket();

    [GeneratedRegex(@"^[A-Za-z0-9]{16,64}$")]
    private static partial Regex AccountId();
}
