using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using DataSyncPS.Engine.Http;

namespace DataSyncPS.Engine.DataSnap;

/// <summary>The calls of the DataSnap flow (ask for an upload URL, PUT the file, confirm), each through
/// the shared resilience policy. The API key goes in a header and nowhere else.</summary>
public sealed class DataSnapClient(Uri apiUrl, string apiKey, ResilientHttp http)
{
    private readonly Uri _api = apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");

    public Uri ApiUrl => _api;

    /// <summary>GET schemas/{slug}: what saving a key validates against.</summary>
    public async Task<DataSnapContract.Schema> GetSchemaAsync(string slug, CancellationToken ct)
    {
        var (response, attempts) = await http.SendAsync(() => Api(HttpMethod.Get, DataSnapContract.SchemaPath(slug)),
            $"GET {Endpoint(DataSnapContract.SchemaPath(slug))}", ct).ConfigureAwait(false);
        using (response)
        {
            await EnsureAsync(response, attempts, $"schema '{slug}'", Endpoint(DataSnapContract.SchemaPath(slug)), ct).ConfigureAwait(false);
            return (await response.Content.ReadFromJsonAsync<DataSnapContract.Schema>(ct).ConfigureAwait(false))!;
        }
    }

    public async Task<(DataSnapContract.UploadToken Token, int Attempts)> RequestUploadAsync(string slug, DataSnapContract.UploadTokenRequest body, CancellationToken ct)
    {
        var path = DataSnapContract.UploadTokenPath(slug);
        var (response, attempts) = await http.SendAsync(() => Api(HttpMethod.Post, path, JsonBody.Create(body)), $"POST {Endpoint(path)}", ct).ConfigureAwait(false);
        using (response)
        {
            await EnsureAsync(response, attempts, $"upload token for '{body.Filename}'", Endpoint(path), ct).ConfigureAwait(false);
            return ((await response.Content.ReadFromJsonAsync<DataSnapContract.UploadToken>(ct).ConfigureAwait(false))!, attempts);
        }
    }

    /// <summary>PUTs the file streaming from disk with Content-Length (no chunked encoding), a fresh body
    /// for each attempt. Returns false when the signed URL has expired (403), so the caller asks for a
    /// new one. <paramref name="sent"/> is told the bytes as they go, and told them back (negative) for
    /// an attempt that did not store the file, so it ends at the file's size or at nothing.</summary>
    public async Task<(bool Stored, int Attempts)> PutFileAsync(DataSnapContract.UploadToken token, string path, CancellationToken ct, Action<long>? sent = null)
    {
        var url = new Uri(token.UploadUrl);
        long counted = 0;
        void Count(long n)
        {
            Interlocked.Add(ref counted, n);
            sent!(n);
        }
        void TakeBack()
        {
            var n = Interlocked.Exchange(ref counted, 0);
            if (n != 0) sent?.Invoke(-n);
        }
        var stored = false;
        try
        {
            var (response, attempts) = await http.SendAsync(() =>
            {
                TakeBack(); // the attempt before this one did not store the file
                var content = FileBody.Create(path, sent is null ? null : Count);
                var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
                foreach (var (name, value) in token.Headers ?? [])
                    if (!request.Headers.TryAddWithoutValidation(name, value)) content.Headers.TryAddWithoutValidation(name, value);
                content.Headers.ContentType ??= new MediaTypeHeaderValue("application/gzip");
                return request;
            }, $"PUT {EndpointText.Mask(url)}", ct, HttpStatusCode.Forbidden).ConfigureAwait(false);
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Forbidden) return (false, attempts);
                await EnsureAsync(response, attempts, $"upload of '{Path.GetFileName(path)}'", EndpointText.Mask(url), ct).ConfigureAwait(false);
                stored = true;
                return (true, attempts);
            }
        }
        finally
        {
            if (!stored) TakeBack();
        }
    }

    public async Task<(DataSnapContract.ConfirmResponse Answer, int Attempts)> ConfirmAsync(string slug, string uploadId, DataSnapContract.ConfirmRequest body, CancellationToken ct)
    {
        var path = DataSnapContract.ConfirmPath(slug, uploadId);
        var (response, attempts) = await http.SendAsync(() => Api(HttpMethod.Post, path, JsonBody.Create(body)), $"POST {Endpoint(path)}", ct).ConfigureAwait(false);
        using (response)
        {
            await EnsureAsync(response, attempts, $"confirmation of upload '{uploadId}'", Endpoint(path), ct).ConfigureAwait(false);
            return ((await response.Content.ReadFromJsonAsync<DataSnapContract.ConfirmResponse>(ct).ConfigureAwait(false))!, attempts);
        }
    }

    private HttpRequestMessage Api(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(_api, path)) { Content = content };
        request.Headers.TryAddWithoutValidation(DataSnapContract.ApiKeyHeader, apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private string Endpoint(string path) => EndpointText.Mask(new Uri(_api, path));

    private async Task EnsureAsync(HttpResponseMessage response, int attempts, string what, string endpoint, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        string? detail = null;
        try { detail = (await response.Content.ReadFromJsonAsync<DataSnapContract.ErrorResponse>(ct).ConfigureAwait(false))?.Error; }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException) { }
        // A server may quote what it was sent: the key never reaches a message.
        if (detail is not null && apiKey.Length > 0) detail = detail.Replace(apiKey, "****", StringComparison.Ordinal);
        var reason = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "the API key was refused",
            HttpStatusCode.NotFound => "not found",
            HttpStatusCode.Conflict => "the stored file's SHA-256 does not match",
            _ => $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}",
        };
        throw new HttpCallFailedException($"DataSnap {what}: {reason}{(detail is null ? "" : $" ({detail})")} at {endpoint} after {attempts} attempt(s).",
            response.StatusCode, attempts);
    }
}
