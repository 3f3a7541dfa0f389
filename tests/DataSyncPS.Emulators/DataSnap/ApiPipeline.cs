using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>An API answer before it is written: a status and a JSON body.</summary>
public sealed record ApiResponse(int Status, object Body, int? RetryAfter = null)
{
    public static ApiResponse Ok(object body) => new(StatusCodes.Status200OK, body);

    /// <summary>The contract's error shape: <c>{"error": "..."}</c>.</summary>
    public static ApiResponse Error(int status, string message, int? retryAfter = null) =>
        new(status, new Dictionary<string, string> { ["error"] = message }, retryAfter);
}

/// <summary>
/// What every API call goes through, in order: in strict mode, the body's framing (a body without
/// Content-Length is 411, as the HTTP layer of a server that reads bodies by length would answer);
/// the API key (a wrong or missing one is always 401),
/// the fault plan (429/500/503/drop answer before the call does anything; delay holds it; a lost
/// response lets the call take effect and then aborts the connection), the call itself, the log line.
/// </summary>
public sealed class ApiPipeline(IReadOnlyCollection<string> apiKeys, FaultInjector faults, CallLog log, bool requireContentLength = true)
{
    public const string ApiKeyHeader = "X-API-Key";

    internal static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public delegate Task<ApiResponse> Handler(HttpContext context, FaultRule? fault, CancellationToken cancellationToken);

    public async Task RunAsync(HttpContext context, CallKind kind, Handler handler)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        var presented = context.Request.Headers[ApiKeyHeader].ToString();
        var key = presented.Length == 0 ? "missing" : apiKeys.Contains(presented) ? "valid" : "wrong";
        if (requireContentLength && UnframedBody(context.Request) is { } unframed)
        {
            await WriteAsync(context, ApiResponse.Error(StatusCodes.Status411LengthRequired, unframed));
            log.Add(kind, method, path, StatusCodes.Status411LengthRequired, null, key);
            return;
        }
        if (key != "valid")
        {
            await WriteAsync(context, ApiResponse.Error(StatusCodes.Status401Unauthorized,
                key == "missing" ? $"missing {ApiKeyHeader} header" : "invalid API key"));
            log.Add(kind, method, path, StatusCodes.Status401Unauthorized, null, key);
            return;
        }

        var fault = faults.Decide(kind);
        try
        {
            var early = fault?.Fault switch
            {
                FaultType.TooManyRequests => ApiResponse.Error(StatusCodes.Status429TooManyRequests, "too many requests (injected)", fault.RetryAfter ?? 1),
                FaultType.InternalError => ApiResponse.Error(StatusCodes.Status500InternalServerError, "internal error (injected)"),
                FaultType.Unavailable => ApiResponse.Error(StatusCodes.Status503ServiceUnavailable, "service unavailable (injected)", fault.RetryAfter),
                _ => null,
            };
            // Logged before the abort: the client may look at /_emulator as soon as its call fails.
            if (fault?.Fault is FaultType.Drop)
            {
                log.Add(kind, method, path, null, fault, key);
                context.Abort();
                return;
            }
            if (early is not null)
            {
                await WriteAsync(context, early);
                log.Add(kind, method, path, early.Status, fault, key);
                return;
            }
            if (fault?.Fault is FaultType.Delay) await Task.Delay(fault.DelayMs, context.RequestAborted);

            var response = await handler(context, fault, context.RequestAborted);
            if (fault?.Fault is FaultType.LostResponse)
            {
                log.Add(kind, method, path, null, fault, key);
                context.Abort();
                return;
            }
            await WriteAsync(context, response);
            log.Add(kind, method, path, response.Status, fault, key);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            log.Add(kind, method, path, null, fault, key); // the client went away
        }
    }

    /// <summary>Why a server that reads bodies by Content-Length would see this request's body empty, or
    /// null when it would not: a Transfer-Encoding, or a method that carries a body sent without a length.</summary>
    public static string? UnframedBody(HttpRequest request)
    {
        if (request.Headers.TransferEncoding.Count > 0)
            return $"the request body was sent with Transfer-Encoding: {request.Headers.TransferEncoding}; this server reads bodies by Content-Length only";
        if (request.ContentLength is null && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)))
            return $"a {request.Method} needs a Content-Length header; this server reads bodies by Content-Length only";
        return null;
    }

    public static async Task WriteAsync(HttpContext context, ApiResponse response)
    {
        context.Response.StatusCode = response.Status;
        if (response.RetryAfter is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, response.Body, response.Body.GetType(), Json, context.RequestAborted);
    }

    /// <summary>The request body as a JSON object, or an error naming what is wrong with it.</summary>
    public static async Task<(JsonElement Body, string? Error)> ReadObjectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, "the body must be a JSON object");
        }
        catch (JsonException e)
        {
            return (default, $"the body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>A required non-empty string field.</summary>
    public static string? String(JsonElement body, string name, List<string> errors)
    {
        if (body.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } s)
            return s;
        errors.Add($"'{name}' must be a non-empty string");
        return null;
    }

    /// <summary>A required whole number, 0 or more.</summary>
    public static long Count(JsonElement body, string name, List<string> errors)
    {
        if (body.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt64(out var n) && n >= 0)
            return n;
        errors.Add($"'{name}' must be a whole number, 0 or more");
        return 0;
    }

    /// <summary>A required SHA-256 in hex, returned lower-case.</summary>
    public static string Sha256(JsonElement body, string name, List<string> errors)
    {
        var s = String(body, name, errors);
        if (s is null) return "";
        if (s.Length == 64 && s.All(char.IsAsciiHexDigit)) return s.ToLowerInvariant();
        errors.Add($"'{name}' must be 64 hexadecimal digits");
        return "";
    }
}
