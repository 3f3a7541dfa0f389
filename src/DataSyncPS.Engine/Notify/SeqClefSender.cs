using System.Net;
using System.Net.Http.Headers;
using DataSyncPS.Engine.Http;
using DataSyncPS.Engine.Logging;

namespace DataSyncPS.Engine.Notify;

/// <summary>
/// Posts events to Seq as CLEF: <c>POST {server}/api/events/raw?clef</c>, header <c>X-Seq-ApiKey</c>
/// when a key is given, body of newline-separated CLEF objects sent with Content-Length (never chunked,
/// DESIGN contract 8). One attempt with a short timeout and no retries: a log sink must never hold a
/// run up; the caller decides what to do with events that did not go. The key appears in no message.
/// </summary>
public sealed class SeqClefSender : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    private readonly HttpClient _http;
    private readonly string? _apiKey;

    public SeqClefSender(Uri server, string? apiKey, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
    {
        if (!server.IsAbsoluteUri || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            throw new SyncException(SyncErrorKind.InvalidArgument, $"The Seq URL '{EndpointText.Mask(server)}' is not an http or https URL.", target: EndpointText.Mask(server));
        Timeout = timeout ?? DefaultTimeout;
        var baseUrl = server.AbsoluteUri.EndsWith('/') ? server.AbsoluteUri : server.AbsoluteUri + "/";
        Endpoint = new Uri(new Uri(baseUrl), "api/events/raw?clef");
        _apiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = Timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout,
        };
    }

    public Uri Endpoint { get; }

    public TimeSpan Timeout { get; }

    public Task SendAsync(IReadOnlyList<SyncLogEvent> events, CancellationToken cancel = default)
    {
        using var body = new MemoryStream(events.Count * 256);
        foreach (var e in events) ClefLine.Write(e, body);
        return SendAsync(body.ToArray(), cancel);
    }

    /// <summary>Posts CLEF lines as they are (each a JSON object ending in '\n'). Throws
    /// <see cref="SyncException"/> (RemoteCallFailed, Unauthorized) when Seq did not take them.</summary>
    public async Task SendAsync(byte[] clefLines, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint);
        var content = new ByteArrayContent(clefLines);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.serilog.clef");
        content.Headers.ContentLength = clefLines.Length;
        request.Content = content;
        if (_apiKey is not null) request.Headers.TryAddWithoutValidation("X-Seq-ApiKey", _apiKey);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new SyncException(SyncErrorKind.RemoteCallFailed, $"Seq at {Where} did not answer within {Timeout.TotalSeconds:0.#}s.", target: Where);
        }
        catch (HttpRequestException ex)
        {
            throw new SyncException(SyncErrorKind.RemoteCallFailed, $"Seq at {Where} could not be reached: {ex.Message}", ex, Where);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return;
            var text = await ShortBody(response, cancel).ConfigureAwait(false);
            var kind = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? SyncErrorKind.Unauthorized : SyncErrorKind.RemoteCallFailed;
            throw new SyncException(kind, $"Seq at {Where} refused the events: {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : "")}", target: Where);
        }
    }

    private string Where => EndpointText.Mask(Endpoint);

    private static async Task<string> ShortBody(HttpResponseMessage response, CancellationToken cancel)
    {
        try
        {
            var text = (await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false)).Trim();
            return text.Length > 300 ? text[..300] + "…" : text;
        }
        catch (Exception) { return ""; }
    }

    public void Dispose() => _http.Dispose();
}
