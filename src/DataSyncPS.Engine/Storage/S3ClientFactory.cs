using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace DataSyncPS.Engine.Storage;

/// <summary>
/// The S3 client for a destination. For any store but AWS itself (R2, MinIO, s3rver...), checksums are
/// sent and checked only where S3 requires them: the SDK's default CRC32 headers and aws-chunked
/// trailers break such stores (aws-sdk-net #3615, #3616; R2 answers 501 to some checksum headers).
/// Every upload through this client also sets UseChunkEncoding = false, so no request body is
/// chunk-signed (STREAMING-*-PAYLOAD-TRAILER): each part goes with its Content-Length.
/// Retries are the SDK's own, set to the module's policy (<see cref="StorageOptions.Retry"/>): as many
/// attempts, the same per-attempt and connect timeouts, exponential backoff with jitter (standard mode),
/// and no client-side retry quota, so a run of failures is never cut short silently. A part's body is
/// our buffer, which the SDK rewinds and sends whole on each attempt; a call that still fails names
/// the attempts (<see cref="StorageFailure"/>), and each retry is said in -Verbose (<see cref="ReportingS3Client"/>). Why not Polly around each call as ResilientHttp does: it
/// measured about 3 MB more at the peak of a backup (its option validation loads DataAnnotations and
/// reflection), against a bar of 150 MB whatever the database size.
/// </summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(BackupDestination destination, StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            Timeout = options.Retry.ReadTimeout,
            ConnectTimeout = options.Retry.ConnectTimeout,
            MaxErrorRetry = options.Retry.MaxAttempts - 1,
            RetryMode = RequestRetryMode.Standard,
            ThrottleRetries = false,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (destination.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.GetLeftPart(UriPartial.Authority);
            config.ForcePathStyle = true;
            config.UseHttp = endpoint.Scheme == Uri.UriSchemeHttp;
            config.AuthenticationRegion = destination.Region ?? "us-east-1";
            config.EndpointProvider = new PathStyleEndpoints(endpoint, config.AuthenticationRegion);
        }
        else
        {
            var region = destination.Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
            if (region is not null) config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return options.Credential is { } c
            ? new ReportingS3Client(new BasicAWSCredentials(c.AccessKeyId, c.SecretAccessKey), config) { Verbose = options.Verbose }
            : new ReportingS3Client(config) { Verbose = options.Verbose };
    }
}
