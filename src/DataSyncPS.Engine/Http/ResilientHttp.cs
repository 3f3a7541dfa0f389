using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace DataSyncPS.Engine.Http;

/// <summary>
/// The one resilience policy every HTTP client of the module goes through (DESIGN contract 4):
/// exponential backoff with jitter, Retry-After honoured on 429/503, separate connect and read
/// timeouts, and a final error that names the endpoint and the attempts. A request is built anew for
/// each attempt (a streamed body cannot be sent twice), and its body must carry Content-Length.
/// </summary>
public sealed class ResilientHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly HttpPolicyOptions _options;

    public ResilientHttp(HttpPolicyOptions? options = null, HttpMessageHandler? handler = null)
    {
        _options = options ?? new HttpPolicyOptions();
        handler ??= new SocketsHttpHandler
        {
            ConnectTimeout = _options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpPolicyOptions Options => _options;

    /// <summary>Called before each retry: attempt number, delay, and why (for -Verbose).</summary>
    public Action<string>? OnRetry { get; set; }

    /// <summary>Sends until a response that is not transient, or attempts run out. Statuses in
    /// <paramref name="final"/> are returned as they are (the caller decides), like 2xx.</summary>
    public async Task<(HttpResponseMessage Response, int Attempts)> SendAsync(
        Func<HttpRequestMessage> request, string what, CancellationToken ct, params HttpStatusCode[] final)
    {
        var attempts = 0;
        string? lastProblem = null;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        // Polly refuses a retry strategy of zero retries: one attempt means no retry strategy at all.
        if (_options.MaxAttempts > 1)
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.BaseDelay,
                MaxDelay = _options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException or IOException } => true,
                    { Exception: OperationCanceledException } when !ct.IsCancellationRequested => true,
                    { Result: { } r } => IsTransient(r.StatusCode) && !final.Contains(r.StatusCode),
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    lastProblem = Describe(args.Outcome);
                    args.Outcome.Result?.Dispose();
                    OnRetry?.Invoke($"{what}: attempt {args.AttemptNumber + 1} failed ({lastProblem}); retrying in {args.RetryDelay.TotalSeconds:N1}s.");
                    return ValueTask.CompletedTask;
                },
            });
        var pipeline = builder.AddTimeout(_options.ReadTimeout).Build();
        try
        {
            var response = await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var message = request();
                RequireLength(message, what);
                return await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            return (response, attempts);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or TimeoutRejectedException or IOException or OperationCanceledException)
        {
            throw new HttpCallFailedException($"{what} failed after {attempts} attempt(s): {Describe(Outcome.FromException<HttpResponseMessage>(ex))}.", null, attempts, ex);
        }
    }

    /// <summary>DESIGN contract 8, held in the one place every request goes through: a body without a
    /// known length would go chunked, and a server that reads bodies by Content-Length sees it empty.
    /// A programming error, not a transient one: it is never retried.</summary>
    private static void RequireLength(HttpRequestMessage message, string what)
    {
        if (message.Content is null) return;
        if (message.Headers.TransferEncodingChunked == true || message.Content.Headers.ContentLength is null)
            throw new InvalidOperationException($"{what}: the request body has no Content-Length and would go chunked; build it with JsonBody or FileBody (DESIGN contract 8).");
    }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var delay = header.Delta ?? (header.Date is { } at ? at - DateTimeOffset.UtcNow : null);
        if (delay is null) return null;
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        return delay > _options.MaxRetryAfter ? _options.MaxRetryAfter : delay;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } r } => $"HTTP {(int)r.StatusCode} {r.ReasonPhrase}",
        { Exception: TimeoutRejectedException } => "no complete response within the read timeout",
        { Exception: { } e } => e.GetBaseException().Message,
        _ => "unknown",
    };

    public void Dispose() => _client.Dispose();
}
