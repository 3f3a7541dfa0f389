using System.Collections.Concurrent;
using System.Security;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using DataSyncPS.Emulators.DataSnap;

namespace DataSyncPS.Emulators.S3;

/// <summary>
/// A reverse proxy in front of s3rver for SDK clients (requests signed in the Authorization header),
/// holding them to what S3 and the stricter S3-compatible stores (R2) hold them to, which s3rver does
/// not: the SigV4 signature is checked (with the Host the client sent), a declared payload SHA-256
/// must be the body's, and what R2 refuses is refused here too — flexible-checksum headers
/// (x-amz-checksum-*, x-amz-sdk-checksum-algorithm: 501) and chunk-signed or chunked bodies
/// (STREAMING-*, aws-chunked, Transfer-Encoding: 501; no Content-Length on a PUT: 411). It also keeps
/// S3's and R2's conditional writes, which s3rver ignores: a PUT of an object or a multipart
/// completion with <c>If-None-Match: *</c> is 412 PreconditionFailed when the key exists. Every
/// request is recorded, so a test can assert on what a client sent; <see cref="Fail"/> makes chosen
/// requests fail (a transient 503, a store that keeps failing).
/// </summary>
public sealed class SigV4Proxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly string _accessKey;
    private readonly string _secretKey;

    /// <summary>One request as the proxy saw it.</summary>
    public sealed record SeenRequest(string Method, string Path, string Query, string Host, IReadOnlyDictionary<string, string> Headers, long? ContentLength, int Status, string? Refusal);

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    private sealed class Fault(Func<string, string, bool> matches, int status, int times)
    {
        public Func<string, string, bool> Matches { get; } = matches;
        public int Status { get; } = status;
        public int Left = times;
    }

    private readonly ConcurrentQueue<Fault> _faults = new();

    /// <summary>The next <paramref name="times"/> requests that <paramref name="matches"/> (method, query
    /// string) are answered <paramref name="status"/> with an S3 error body, after their signature is
    /// checked and before they reach s3rver; <c>int.MaxValue</c> times for a store that keeps failing.</summary>
    public void Fail(Func<string, string, bool> matches, int status, int times = 1) => _faults.Enqueue(new Fault(matches, status, times));

    public Uri Endpoint { get; private set; } = null!;

    private SigV4Proxy(Uri upstream, string accessKey, string secretKey)
    {
        _accessKey = accessKey;
        _secretKey = secretKey;
        _upstream = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(upstream.GetLeftPart(UriPartial.Authority)),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _app = KestrelApp.Create("127.0.0.1", 0);
        _app.Run(HandleAsync);
    }

    public static async Task<SigV4Proxy> StartAsync(Uri upstream, string accessKey, string secretKey, CancellationToken cancellationToken = default)
    {
        var proxy = new SigV4Proxy(upstream, accessKey, secretKey);
        await proxy._app.StartAsync(cancellationToken);
        proxy.Endpoint = KestrelApp.BoundAddress(proxy._app);
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var queryAt = rawTarget.IndexOf('?');
        var rawPath = queryAt < 0 ? rawTarget : rawTarget[..queryAt];
        var rawQuery = queryAt < 0 ? "" : rawTarget[(queryAt + 1)..];
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        string? Header(string name) => request.Headers.TryGetValue(name, out var v) ? string.Join(',', v.ToArray()) : null;
        void Record(int status, string? refusal) =>
            Requests.Enqueue(new SeenRequest(request.Method, rawPath, rawQuery, request.Host.Value ?? "", headers, request.ContentLength, status, refusal));

        async Task Refuse(int status, string code, string message)
        {
            Record(status, code);
            await ErrorAsync(context, status, code, message);
        }

        var payload = Header("x-amz-content-sha256") ?? "";
        if (headers.Keys.Any(h => h.StartsWith("x-amz-checksum-", StringComparison.Ordinal) || h == "x-amz-sdk-checksum-algorithm" || h == "x-amz-trailer"))
        {
            await Refuse(501, "NotImplemented", "Header x-amz-checksum-* / x-amz-sdk-checksum-algorithm / x-amz-trailer is not implemented (as R2).");
            return;
        }
        if (payload.StartsWith("STREAMING-", StringComparison.Ordinal) || request.Headers.TransferEncoding.Count > 0
            || (Header("Content-Encoding")?.Contains("aws-chunked", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            await Refuse(501, "NotImplemented", "Chunked or chunk-signed bodies are not implemented.");
            return;
        }
        if (request.Method is "PUT" or "POST" && request.ContentLength is null)
        {
            await Refuse(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
            return;
        }
        var failure = SigV4.VerifyHeader(request.Method, rawPath, rawQuery, Header, key => key == _accessKey ? _secretKey : null, DateTime.UtcNow);
        if (failure is not null)
        {
            await Refuse(failure.Status, failure.Code, failure.Message);
            return;
        }
        foreach (var fault in _faults)
        {
            if (!fault.Matches(request.Method, rawQuery) || Interlocked.Decrement(ref fault.Left) < 0) continue;
            await request.Body.CopyToAsync(Stream.Null, context.RequestAborted); // read, as a store does, so the client hears the answer
            await Refuse(fault.Status, fault.Status == 503 ? "SlowDown" : "InternalError", "Injected by the test.");
            return;
        }
        if (Header("If-None-Match") == "*" && IsObjectWrite(request.Method, rawQuery) && await ExistsAsync(context, rawPath))
        {
            await request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            await Refuse(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
            return;
        }
        try
        {
            await using var body = new FileBufferingReadStream(request.Body, 1 << 20);
            await body.DrainAsync(context.RequestAborted);
            if (payload != "UNSIGNED-PAYLOAD")
            {
                body.Position = 0;
                var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(body, context.RequestAborted));
                if (!string.Equals(actual, payload, StringComparison.OrdinalIgnoreCase))
                {
                    await Refuse(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
                    return;
                }
            }
            body.Position = 0;
            Record(await ForwardAsync(context, rawTarget, body), null);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            Record(0, "aborted");
            context.Abort();
        }
    }

    // A PUT of a whole object (not a part, not a copy) or a CompleteMultipartUpload.
    private static bool IsObjectWrite(string method, string query) =>
        (method == "PUT" && !query.Contains("partNumber=", StringComparison.Ordinal)) || (method == "POST" && query.Contains("uploadId=", StringComparison.Ordinal));

    /// <summary>Whether s3rver has the object (a HEAD with the client's own credentials, which s3rver
    /// checks by access key).</summary>
    private async Task<bool> ExistsAsync(HttpContext context, string rawPath)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, rawPath);
        foreach (var name in new[] { "Authorization", "x-amz-date", "x-amz-content-sha256" })
            if (context.Request.Headers.TryGetValue(name, out var v)) head.Headers.TryAddWithoutValidation(name, v.ToString());
        using var response = await _upstream.SendAsync(head, context.RequestAborted);
        return response.IsSuccessStatusCode;
    }

    private async Task<int> ForwardAsync(HttpContext context, string rawTarget, Stream body)
    {
        using var message = S3.S3Forwarding.Request(context.Request, rawTarget, body);
        using var response = await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        return await S3.S3Forwarding.AnswerAsync(context, response);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
            $"<Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message><RequestId>{Guid.NewGuid():N}</RequestId></Error>",
            context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
