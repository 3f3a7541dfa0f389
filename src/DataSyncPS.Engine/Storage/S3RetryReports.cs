using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.S3.Internal;
using Amazon.S3.Model;

namespace DataSyncPS.Engine.Storage;

/// <summary>
/// An S3 client whose retries are told to the admin (-Verbose): the SDK retries on its own, inside its
/// pipeline, so the client puts its own standard-mode policy in the place of the SDK's — the same
/// policy (it derives from it and decides nothing itself), which also says each retry as
/// <c>S3 UploadPart 3 of bucket/key: 503 SlowDown, retry 1 of 5 after 0.4 s</c>. The line names the call,
/// the bucket and key and what the store answered — never the request's headers, signature or query.
/// It is said once the SDK's wait (its backoff, or the store's x-amz-retry-after) is over, with the
/// time waited: the SDK does not expose the wait before taking it.
/// </summary>
internal sealed class ReportingS3Client : AmazonS3Client
{
    public ReportingS3Client(AWSCredentials credentials, AmazonS3Config config) : base(credentials, config) { }
    public ReportingS3Client(AmazonS3Config config) : base(config) { }

    /// <summary>Read at each retry: the base constructor builds the pipeline before this is set.</summary>
    public Action<string>? Verbose { get; init; }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        if (Config.RetryMode == RequestRetryMode.Standard)
            pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new ReportingRetryPolicy(Config, this)));
    }

    private sealed class ReportingRetryPolicy(IClientConfig config, ReportingS3Client client) : AmazonS3StandardRetryPolicy(config)
    {
        private const string LastError = "DataSyncPS.LastError";

        public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception)
        {
            var retry = await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false);
            if (retry) executionContext.RequestContext.ContextAttributes[LastError] = exception;
            return retry;
        }

        public override async Task WaitBeforeRetryAsync(IExecutionContext executionContext)
        {
            var clock = Stopwatch.StartNew();
            await base.WaitBeforeRetryAsync(executionContext).ConfigureAwait(false);
            if (client.Verbose is not { } verbose) return;
            var context = executionContext.RequestContext;
            context.ContextAttributes.TryGetValue(LastError, out var error);
            verbose(string.Create(CultureInfo.InvariantCulture,
                $"S3 {Call(context.OriginalRequest)}: {Failure(error as Exception)}, retry {context.Retries} of {MaxRetries} after {clock.Elapsed.TotalSeconds:0.0} s"));
        }
    }

    /// <summary>The call and its object, from the request as the module built it (not as signed).</summary>
    private static string Call(AmazonWebServiceRequest request) => request switch
    {
        UploadPartRequest r => $"UploadPart {r.PartNumber} of {r.BucketName}/{r.Key}",
        PutObjectRequest r => $"PutObject of {r.BucketName}/{r.Key}",
        GetObjectRequest r => $"GetObject of {r.BucketName}/{r.Key}",
        GetObjectMetadataRequest r => $"HeadObject of {r.BucketName}/{r.Key}",
        InitiateMultipartUploadRequest r => $"CreateMultipartUpload of {r.BucketName}/{r.Key}",
        CompleteMultipartUploadRequest r => $"CompleteMultipartUpload of {r.BucketName}/{r.Key}",
        AbortMultipartUploadRequest r => $"AbortMultipartUpload of {r.BucketName}/{r.Key}",
        DeleteObjectRequest r => $"DeleteObject of {r.BucketName}/{r.Key}",
        ListObjectsV2Request r => $"ListObjectsV2 of {r.BucketName}/{r.Prefix}",
        _ => request.GetType().Name.Replace("Request", "", StringComparison.Ordinal),
    };

    /// <summary>What the store answered (status and S3's error code), or why there was no answer.</summary>
    private static string Failure(Exception? error) => error switch
    {
        AmazonServiceException { StatusCode: not 0 } e => $"{(int)e.StatusCode} {e.ErrorCode}".TrimEnd(),
        null => "failed",
        _ => error.GetBaseException().Message,
    };
}
