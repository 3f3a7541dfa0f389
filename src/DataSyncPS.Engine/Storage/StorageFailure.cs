using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace DataSyncPS.Engine.Storage;

/// <summary>Store failures in words an admin can act on: the bucket, the endpoint, S3's error code —
/// never a key or signature (the SDK's messages carry neither).</summary>
internal static class StorageFailure
{
    public static SyncException Translate(Exception error, BackupDestination destination, string doing) => Translate(error, destination, 1, doing);

    /// <param name="attempts">What the store's retry policy allows: a transient failure that comes out of
    /// it was tried that many times, and the message says so.</param>
    public static SyncException Translate(Exception error, BackupDestination destination, int attempts, string doing)
    {
        if (error is SyncException s) return s;
        var where = destination.ToString();
        if (attempts > 1 && IsTransient(error)) doing += $" (after {attempts} attempts)";
        return error switch
        {
            AmazonS3Exception { ErrorCode: "NoSuchBucket" } =>
                new SyncException(SyncErrorKind.PathNotFound, $"The bucket '{destination.Bucket}' does not exist ({where}) while {doing}.", error, where),
            AmazonS3Exception { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied" or "InvalidToken" or "ExpiredToken" } e =>
                new SyncException(SyncErrorKind.Unauthorized, $"{where} refused the storage credentials while {doing}: {e.ErrorCode} ({e.Message}).", error, where),
            AmazonS3Exception e => new SyncException(SyncErrorKind.StorageFailed,
                $"{where} answered {(int)e.StatusCode} {e.ErrorCode} while {doing}: {e.Message}", error, where),
            AmazonServiceException { InnerException: HttpRequestException or IOException or WebException } or HttpRequestException =>
                new SyncException(SyncErrorKind.StorageFailed, $"{where} could not be reached while {doing}: {error.GetBaseException().Message}", error, where),
            AmazonClientException e when e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
                new SyncException(SyncErrorKind.Unauthorized, $"No storage credentials for {where}: give -StorageCredential, or set up the AWS SDK's chain (AWS_ACCESS_KEY_ID, a profile). ({e.Message})", error, where),
            AmazonClientException e when e.Message.Contains("Region", StringComparison.OrdinalIgnoreCase) =>
                new SyncException(SyncErrorKind.InvalidArgument, $"No region for {where}: give -Region or set AWS_REGION. ({e.Message})", error, where),
            AmazonServiceException e => new SyncException(SyncErrorKind.StorageFailed, $"{where} failed while {doing}: {e.Message}", error, where),
            IOException or UnauthorizedAccessException when Batches.OutputFailure.IsDiskFull(error) =>
                new SyncException(SyncErrorKind.DiskFull, $"The disk of {where} is full while {doing}: {error.Message}", error, where),
            IOException or UnauthorizedAccessException =>
                new SyncException(SyncErrorKind.StorageFailed, $"{where} failed while {doing}: {error.Message}", error, where),
            _ => new SyncException(SyncErrorKind.StorageFailed, $"{where} failed while {doing}: {error.GetType().Name}: {error.Message}", error, where),
        };
    }

    /// <summary>What the store's retry policy tries again: 5xx (but 501, what a store will never do), 429,
    /// 408, timeouts and dropped connections (ResilientHttp's rule).</summary>
    public static bool IsTransient(Exception error) => error switch
    {
        AmazonServiceException { StatusCode: HttpStatusCode.NotImplemented } => false,
        AmazonServiceException { StatusCode: var status } when status != 0 && Http.ResilientHttp.IsTransient(status) => true,
        AmazonServiceException { InnerException: HttpRequestException or IOException or WebException or OperationCanceledException } => true,
        HttpRequestException or IOException or WebException => true,
        _ => false,
    };
}
