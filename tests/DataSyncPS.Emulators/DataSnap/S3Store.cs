using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>The emulator's own access to the bucket on s3rver: create it, hash, read and delete objects.</summary>
public sealed class S3Store : IDisposable
{
    private readonly AmazonS3Client client;
    private readonly string bucket;

    public S3Store(DataSnapEmulatorOptions options)
    {
        bucket = options.Bucket;
        client = new AmazonS3Client(new BasicAWSCredentials(options.S3AccessKey, options.S3SecretKey),
            Config(options.S3Endpoint, options.S3Region));
    }

    /// <summary>
    /// Path-style addressing on a plain HTTP endpoint, and checksums only where S3 requires them: s3rver
    /// knows neither the SDK's flexible checksums nor aws-chunked bodies (any PUT through this config
    /// must also set UseChunkEncoding = false).
    /// </summary>
    internal static AmazonS3Config Config(Uri endpoint, string region) => new()
    {
        ServiceURL = endpoint.GetLeftPart(UriPartial.Authority),
        ForcePathStyle = true,
        UseHttp = endpoint.Scheme == Uri.UriSchemeHttp,
        AuthenticationRegion = region,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        Timeout = TimeSpan.FromSeconds(30),
        MaxErrorRetry = 1,
    };

    /// <summary>Creates the bucket unless it is there. Throws with s3rver's address when it cannot be reached.</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyExists" or "BucketAlreadyOwnedByYou")
        {
        }
        catch (AmazonServiceException e) when (e.InnerException is HttpRequestException or IOException)
        {
            throw new InvalidOperationException(
                $"s3rver is not reachable at {client.Config.ServiceURL}: {e.GetBaseException().Message} (.ci/servers.sh starts it).", e);
        }
    }

    /// <summary>The SHA-256 (lower-case hex) and size of a stored object, or null when there is none.</summary>
    public async Task<(string Sha256, long Size)?> HashAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetObjectAsync(bucket, key, cancellationToken);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long size = 0;
            int read;
            while ((read = await response.ResponseStream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                size += read;
            }
            return (Convert.ToHexStringLower(sha.GetHashAndReset()), size);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The stored bytes of an object, or null when there is none.</summary>
    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetObjectAsync(bucket, key, cancellationToken);
            using var bytes = new MemoryStream();
            await response.ResponseStream.CopyToAsync(bytes, cancellationToken);
            return bytes.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try { await client.DeleteObjectAsync(bucket, key, cancellationToken); }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { }
    }

    public void Dispose() => client.Dispose();
}
