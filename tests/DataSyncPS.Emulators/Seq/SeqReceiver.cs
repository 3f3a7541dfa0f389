using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DataSyncPS.Emulators.Seq;

/// <summary>
/// Seq's raw ingestion endpoint for tests: <c>POST /api/events/raw?clef</c> (also <c>/api/events/raw</c>
/// with a CLEF content type), each request kept as it arrived: the X-Seq-ApiKey header, Content-Length,
/// Transfer-Encoding and the CLEF lines. A wrong or missing key is 401, as Seq answers when keys are
/// required; a body without Content-Length is 411 (DESIGN contract 8). Answers 201, as Seq does.
/// </summary>
public sealed class SeqReceiver : IAsyncDisposable
{
    public sealed record Request(string? ApiKey, long? ContentLength, string? TransferEncoding, string ContentType, string Body)
    {
        public IEnumerable<string> Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private readonly WebApplication _app;

    private SeqReceiver(string? apiKey)
    {
        ApiKey = apiKey;
        _app = KestrelApp.Create("127.0.0.1", 0);
        _app.MapPost("/api/events/raw", (Delegate)ReceiveAsync);
    }

    public string? ApiKey { get; }

    /// <summary>The server URL to give Seq clients (http://127.0.0.1:port/).</summary>
    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<Request> Requests { get; } = new();

    public IEnumerable<string> Lines => Requests.SelectMany(r => r.Lines);

    public static async Task<SeqReceiver> StartAsync(string? apiKey = null)
    {
        var receiver = new SeqReceiver(apiKey);
        await receiver._app.StartAsync();
        receiver.Url = new Uri(KestrelApp.BoundAddress(receiver._app).GetLeftPart(UriPartial.Authority) + "/");
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var r = context.Request;
        using var reader = new StreamReader(r.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var key = r.Headers.TryGetValue("X-Seq-ApiKey", out var k) ? k.ToString() : null;
        Requests.Enqueue(new Request(key, r.ContentLength, r.Headers.TransferEncoding.Count > 0 ? r.Headers.TransferEncoding.ToString() : null, r.ContentType ?? "", body));
        if (r.ContentLength is null) return Results.Json(new { Error = "Content-Length required" }, statusCode: StatusCodes.Status411LengthRequired);
        if (ApiKey is not null && key != ApiKey) return Results.Json(new { Error = "The API key is missing or not valid." }, statusCode: StatusCodes.Status401Unauthorized);
        return Results.Json(new { MinimumLevelAccepted = (string?)null }, statusCode: StatusCodes.Status201Created);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
