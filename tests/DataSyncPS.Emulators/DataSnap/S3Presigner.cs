using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>
/// Makes the presigned PUT URLs handed out by generate-upload-token. They are signed for
/// <see cref="PublicEndpoint"/>: the emulator's S3 proxy, or s3rver itself without the proxy.
/// Signing is local (no call to S3).
/// </summary>
public sealed class S3Presigner : IDisposable
{
    private readonly AmazonS3Client client;
    private readonly DataSnapEmulatorOptions options;

    public S3Presigner(DataSnapEmulatorOptions options, Uri publicEndpoint)
    {
        this.options = options;
        PublicEndpoint = publicEndpoint;
        client = new AmazonS3Client(new BasicAWSCredentials(options.S3AccessKey, options.S3SecretKey),
            S3Store.Config(publicEndpoint, options.S3Region));
    }

    /// <summary>Where the URLs point (scheme, host and port).</summary>
    public Uri PublicEndpoint { get; }

    /// <summary>The headers the PUT must send (signed into the URL).</summary>
    public IReadOnlyDictionary<string, string> RequiredHeaders =>
        new Dictionary<string, string> { ["Content-Type"] = options.UploadContentType };

    /// <summary>A URL valid for <see cref="DataSnapEmulatorOptions.UrlExpiry"/> from now, and when it expires.</summary>
    public (string Url, DateTimeOffset ExpiresAt) Presign(string key)
    {
        var url = client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = options.Bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            Protocol = Protocol.HTTP,
            Expires = DateTime.UtcNow.Add(options.UrlExpiry),
            ContentType = options.UploadContentType,
        });
        return (url, ExpiryOf(url));
    }

    /// <summary>
    /// A URL that expired a minute ago: signed in the past with a positive X-Amz-Expires, as a URL
    /// kept too long really looks (the SDK signs only at "now", and a negative expiry is a 400 on S3).
    /// </summary>
    public (string Url, DateTimeOffset ExpiresAt) PresignExpired(string key)
    {
        var seconds = (int)options.UrlExpiry.TotalSeconds;
        var signedAt = DateTime.UtcNow.AddSeconds(-seconds - 60);
        var url = SigV4.Presign("PUT", PublicEndpoint, options.Bucket, key,
            new Dictionary<string, string> { ["content-type"] = options.UploadContentType },
            options.S3AccessKey, options.S3SecretKey, options.S3Region, signedAt, seconds);
        return (url, ExpiryOf(url));
    }

    /// <summary>X-Amz-Date + X-Amz-Expires of a presigned URL.</summary>
    public static DateTimeOffset ExpiryOf(string url)
    {
        var query = new Uri(url).Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""));
        var signedAt = DateTimeOffset.ParseExact(query["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return signedAt.AddSeconds(int.Parse(query["X-Amz-Expires"], CultureInfo.InvariantCulture));
    }

    public void Dispose() => client.Dispose();
}
