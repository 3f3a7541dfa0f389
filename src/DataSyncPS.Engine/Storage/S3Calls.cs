using System.Net;
using Amazon.Runtime;
using DataSyncPS.Engine.Http;
using Polly;

namespace DataSyncPS.Engine.Storage;

/// <summary>
/// Every S3 call of a store goes through here, under the module's one retry policy
/// (<see cref="HttpPolicyOptions.Backoff{T}"/>: the attempts, backoff and jitter ResilientHttp uses):
/// 5xx (but 501, which a store answers to what it will never do), 429, 408, timeouts and dropped
/// connections are tried again; anything else fails at once. The SDK's own retries are off (see
/// <see cref="S3ClientFactory"/>), so attempts never multiply. Each attempt builds its request anew, so
/// a part's body is sent whole from its buffer every time. A call that still fails names the store and
/// the attempts.
/// </summary>
internal sealed class S3Calls(BackupDestination destination, HttpPolicyOptions policy, Action<string>? onRetry)
{
    public HttpPolicyOptions Policy => policy;

    public async Task RunAsync(string doing, Func<CancellationToken, Task> call, CancellationToken ct) =>
        await RunAsync<bool>(doing, async token => { await call(token).ConfigureAwait(false); return true; }, ct).ConfigureAwait(false);

    /// <summary>Runs <paramref name="call"/> until it succeeds, fails for good, or attempts run out. A
    /// failure that is not transient comes out as it is (the caller translates it, and may expect it:
    /// a 404); one that outlived every attempt is <see cref="SyncErrorKind.StorageFailed"/> naming them.</summary>
    public async Task<T> RunAsync<T>(string doing, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var attempts = 0;
        var builder = new ResiliencePipelineBuilder<T>();
        // As in ResilientHttp: Polly refuses a retry strategy of zero retries.
        if (policy.MaxAttempts > 1)
        {
            var retry = policy.Backoff<T>();
            retry.ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e, ct));
            retry.OnRetry = args =>
            {
                onRetry?.Invoke($"{destination}: {doing}: attempt {args.AttemptNumber + 1} failed ({Describe(args.Outcome.Exception!)}); retrying in {args.RetryDelay.TotalSeconds:N1}s.");
                return ValueTask.CompletedTask;
            };
            builder.AddRetry(retry);
        }
        try
        {
            return await builder.Build().ExecuteAsync(async token =>
            {
                attempts++;
                return await call(token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (attempts > 1 && IsTransient(e, ct))
        {
            throw new SyncException(SyncErrorKind.StorageFailed,
                $"{destination} failed while {doing} after {attempts} attempts: {Describe(e)}", e, destination.ToString());
        }
    }

    public static bool IsTransient(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException => !ct.IsCancellationRequested, // the SDK's timeout, not a stop
        AmazonServiceException { StatusCode: HttpStatusCode.NotImplemented } => false,
        AmazonServiceException { StatusCode: var status } when status != 0 && ResilientHttp.IsTransient(status) => true,
        AmazonServiceException { InnerException: HttpRequestException or IOException or WebException or OperationCanceledException } => true,
        HttpRequestException or IOException or WebException => true,
        _ => false,
    };

    private static string Describe(Exception e) => e switch
    {
        AmazonServiceException { StatusCode: var status } s when status != 0 => $"{(int)status} {s.ErrorCode}".TrimEnd(),
        OperationCanceledException => "no answer within the timeout",
        _ => e.GetBaseException().Message,
    };
}
