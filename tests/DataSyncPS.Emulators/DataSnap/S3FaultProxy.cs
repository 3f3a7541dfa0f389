using System.Globalization;
using System.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>
/// An HTTP reverse proxy in front of s3rver, on its own port; the presigned URLs point here. It does
/// what S3 does and s3rver does not: checks the SigV4 signature (with the Host the client sent, which
/// is the proxy's, the one the URL was signed for), refuses a PUT without Content-Length (411) or with
/// chunked encoding (501), and stores nothing from a body that did not arrive whole (the body is
/// buffered, then sent to s3rver in one request). It also injects the PUT faults of the plan: 429,
/// 500, 503, drop, delay, reset after N bytes, lost response.
/// </summary>
public sealed class S3FaultProxy : IAsyncDisposable
{
    private const int MemoryThreshold = 1 << 20;
    private readonly WebApplication app;
    private readonly HttpClient upstream;
    private readonly DataSnapEmulatorOptions options;
    private readonly FaultInjector faults;
    private readonly CallLog log;

    private S3FaultProxy(DataSnapEmulatorOptions options, FaultInjector faults, CallLog log)
    {
        this.options = options;
        this.faults = faults;
        this.log = log;
        upstream = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(options.S3Endpoint.GetLeftPart(UriPartial.Authority)),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        app = KestrelApp.Create(options.Host, options.S3ProxyPort);
        app.Run(HandleAsync);
    }

    /// <summary>The proxy's base address, e.g. http://127.0.0.1:41234.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public static async Task<S3FaultProxy> StartAsync(DataSnapEmulatorOptions options, FaultInjector faults, CallLog log, CancellationToken cancellationToken)
    {
        var proxy = new S3FaultProxy(options, faults, log);
        await proxy.app.StartAsync(cancellationToken);
        proxy.Endpoint = KestrelApp.BoundAddress(proxy.app);
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var queryAt = rawTarget.IndexOf('?');
        var rawPath = queryAt < 0 ? rawTarget : rawTarget[..queryAt];
        var rawQuery = queryAt < 0 ? "" : rawTarget[(queryAt + 1)..];
        var fault = request.Method == HttpMethods.Put ? faults.Decide(CallKind.Put) : null;
        void Log(int? status) => log.Add(CallKind.Put, request.Method, rawPath, status, fault, "signed-url");
        try
        {
            switch (fault?.Fault)
            {
                case FaultType.Drop:
                    Log(null); // before the abort: the client may look at /_emulator as soon as its call fails
                    context.Abort();
                    return;
                case FaultType.TooManyRequests:
                    Log(await ErrorAsync(context, 429, "TooManyRequests", "Too many requests (injected)", fault.RetryAfter ?? 1));
                    return;
                case FaultType.InternalError:
                    Log(await ErrorAsync(context, 500, "InternalError", "We encountered an internal error. Please try again. (injected)"));
                    return;
                case FaultType.Unavailable:
                    Log(await ErrorAsync(context, 503, "SlowDown", "Please reduce your request rate. (injected)", fault.RetryAfter));
                    return;
                case FaultType.Delay:
                    await Task.Delay(fault.DelayMs, context.RequestAborted);
                    break;
            }

            if (request.Method == HttpMethods.Put && request.Headers.TransferEncoding.Count > 0)
            {
                Log(await ErrorAsync(context, 501, "NotImplemented", "A header you provided implies functionality that is not implemented (Transfer-Encoding)"));
                return;
            }
            if (request.Method == HttpMethods.Put && request.ContentLength is null)
            {
                Log(await ErrorAsync(context, 411, "MissingContentLength", "You must provide the Content-Length HTTP header."));
                return;
            }
            var failure = SigV4.Verify(request.Method, rawPath, rawQuery, name => HeaderValue(request, name),
                key => key == options.S3AccessKey ? options.S3SecretKey : null, DateTime.UtcNow);
            if (failure is not null)
            {
                Log(await ErrorAsync(context, failure.Status, failure.Code, failure.Message));
                return;
            }

            if (fault?.Fault is FaultType.Reset)
            {
                await ReadAtMostAsync(request.Body, fault.AfterBytes, context.RequestAborted);
                Log(null);
                context.Abort();
                return;
            }

            await using var body = new FileBufferingReadStream(request.Body, MemoryThreshold);
            await body.DrainAsync(context.RequestAborted);
            body.Position = 0;
            var lost = fault?.Fault is FaultType.LostResponse;
            var status = await ForwardAsync(context, rawTarget, body, withholdAnswer: lost);
            Log(status);
            if (lost) context.Abort();
        }
        catch (HttpRequestException e) when (!context.Response.HasStarted)
        {
            Log(await ErrorAsync(context, 502, "BadGateway", $"s3rver at {upstream.BaseAddress} did not answer: {e.Message}"));
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested || e is IOException or BadHttpRequestException)
        {
            // The client went away (or sent less than its Content-Length): nothing is stored.
            context.Abort();
            Log(null);
        }
    }

    /// <summary>Sends the whole request to s3rver; returns the status passed back, or null when the
    /// answer is withheld (lost response: the PUT took effect, the client never hears).</summary>
    private async Task<int?> ForwardAsync(HttpContext context, string rawTarget, Stream body, bool withholdAnswer)
    {
        using var message = S3.S3Forwarding.Request(context.Request, rawTarget, body);
        using var response = await upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        if (withholdAnswer) return null;
        return await S3.S3Forwarding.AnswerAsync(context, response);
    }

    private static string? HeaderValue(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? string.Join(',', values.ToArray()) : null;

    private static async Task ReadAtMostAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[16384];
        while (count > 0)
        {
            var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0) return;
            count -= read;
        }
    }

    /// <summary>An error the way S3 writes it (XML), with a Retry-After when given.</summary>
    private static async Task<int> ErrorAsync(HttpContext context, int status, string code, string message, int? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
            $"<Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message><RequestId>{Guid.NewGuid():N}</RequestId></Error>",
            context.RequestAborted);
        return status;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        upstream.Dispose();
    }
}
