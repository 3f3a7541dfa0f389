using Microsoft.AspNetCore.Http;

namespace DataSyncPS.Emulators.S3;

/// <summary>How the emulators' proxies pass a buffered request on to s3rver and its answer back:
/// hop-by-hop headers dropped, the body sent with its length (never chunked).</summary>
internal static class S3Forwarding
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Expect", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Content-Length",
    };

    public static HttpRequestMessage Request(HttpRequest request, string rawTarget, Stream body)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), rawTarget);
        if (request.ContentLength is not null || body.Length > 0)
        {
            message.Content = new StreamContent(body);
            message.Content.Headers.ContentLength = body.Length;
        }
        foreach (var (name, values) in request.Headers)
        {
            if (NotForwarded.Contains(name)) continue;
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        return message;
    }

    public static async Task<int> AnswerAsync(HttpContext context, HttpResponseMessage response)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            if (!NotForwarded.Contains(name)) context.Response.Headers[name] = values.ToArray();
        if (response.Content.Headers.ContentLength is { } length) context.Response.ContentLength = length;
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        return context.Response.StatusCode;
    }
}
