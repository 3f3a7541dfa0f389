using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DataSyncPS.Engine.Http;

namespace DataSyncPS.Engine.Auvo;

/// <summary>
/// The Auvo API v2 calls (<see cref="AuvoContract"/>), each through the shared resilience policy and the
/// request pacer. The bearer token is fetched on first use and again when it is about to expire or an
/// answer says 401; the API key and token go in the login body and nowhere else.
/// </summary>
public sealed class AuvoClient(Uri apiUrl, string apiKey, string apiToken, ResilientHttp http, RequestPacer? pacer = null)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(30);
    private readonly Uri _api = apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");
    private readonly SemaphoreSlim _login = new(1, 1);
    private string? _token;
    private DateTimeOffset _expires;

    public Uri ApiUrl => _api;

    /// <summary>Logins so far (first one and renewals), for -Verbose and tests.</summary>
    public int Logins { get; private set; }

    public Action<string>? Verbose { get; init; }

    public async Task LoginAsync(CancellationToken ct)
    {
        await _login.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var url = new Uri(_api, AuvoContract.LoginPath);
            if (pacer is not null) await pacer.WaitAsync(ct).ConfigureAwait(false);
            var (response, attempts) = await http.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonBody.Create(new AuvoContract.LoginRequest(apiKey, apiToken)),
            }, $"POST {EndpointText.Mask(url)}", ct).ConfigureAwait(false);
            using (response)
            {
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    throw new SyncException(SyncErrorKind.Unauthorized,
                        $"Auvo refused the API key and token at {EndpointText.Mask(url)} (HTTP {(int)response.StatusCode}{await DetailAsync(response, ct).ConfigureAwait(false)}).", target: EndpointText.Mask(url));
                await EnsureAsync(response, attempts, "login", url, ct).ConfigureAwait(false);
                var answer = await response.Content.ReadFromJsonAsync<AuvoContract.LoginResponse>(ct).ConfigureAwait(false);
                if (answer?.Result is not { Authenticated: true, AccessToken: { Length: > 0 } token })
                    throw new SyncException(SyncErrorKind.Unauthorized, $"Auvo did not authenticate the API key and token at {EndpointText.Mask(url)}.", target: EndpointText.Mask(url));
                _token = token;
                _expires = answer.Result.Expiration ?? DateTimeOffset.UtcNow.AddMinutes(30);
                Logins++;
                Verbose?.Invoke($"Logged in to Auvo at {EndpointText.Mask(_api)}; the token expires at {_expires:u}.");
            }
        }
        finally
        {
            _login.Release();
        }
    }

    /// <summary>One page of an entity list: its records and the total the API reports.</summary>
    public async Task<AuvoPage> GetPageAsync(AuvoEntity entity, string paramFilter, int page, int pageSize, CancellationToken ct)
    {
        var url = new Uri(_api, AuvoContract.ListPath(entity, paramFilter, page, pageSize));
        var what = $"GET {EndpointText.Mask(url)} (page {page})";
        for (var renewed = false; ; renewed = true)
        {
            if (_token is null || DateTimeOffset.UtcNow >= _expires - RenewBefore) await LoginAsync(ct).ConfigureAwait(false);
            var token = _token!;
            if (pacer is not null) await pacer.WaitAsync(ct).ConfigureAwait(false);
            var (response, attempts) = await http.SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            }, what, ct).ConfigureAwait(false);
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && !renewed)
                {
                    Verbose?.Invoke($"{what}: the bearer token was refused (401); logging in again.");
                    _token = null;
                    continue;
                }
                await EnsureAsync(response, attempts, $"{entity.Name} page {page}", url, ct).ConfigureAwait(false);
                using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
                if (!doc.RootElement.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object
                    || !result.TryGetProperty("entityList", out var list) || list.ValueKind != JsonValueKind.Array)
                    throw new SyncException(SyncErrorKind.ApiRequestFailed, $"Auvo answered {what} without result.entityList.", target: EndpointText.Mask(url));
                var records = list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(JsonRecord.ToDictionary).ToList();
                long? total = result.TryGetProperty("pagedSearchReturnData", out var paging) && paging.ValueKind == JsonValueKind.Object
                    && paging.TryGetProperty("totalItems", out var t) && t.TryGetInt64(out var n) ? n : null;
                return new AuvoPage(page, records, total);
            }
        }
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return string.IsNullOrWhiteSpace(text) ? "" : ": " + (text.Length > 300 ? text[..300] + "…" : text);
        }
        catch (HttpRequestException) { return ""; }
    }

    private async Task EnsureAsync(HttpResponseMessage response, int attempts, string what, Uri url, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = await DetailAsync(response, ct).ConfigureAwait(false);
        if (apiToken.Length > 0) detail = detail.Replace(apiToken, "****", StringComparison.Ordinal);
        throw new HttpCallFailedException(
            $"Auvo {what}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}{detail} at {EndpointText.Mask(url)} after {attempts} attempt(s).",
            response.StatusCode, attempts);
    }
}

/// <summary>One page of records as it arrived.</summary>
public sealed record AuvoPage(int Page, IReadOnlyList<Dictionary<string, object?>> Records, long? TotalItems);
