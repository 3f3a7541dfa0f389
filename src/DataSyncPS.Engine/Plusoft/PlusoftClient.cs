using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DataSyncPS.Engine.Http;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// The one call of the Plusoft contract (<see cref="PlusoftContract"/>): POST a batch of records to an
/// entity's endpoint, through the shared resilience policy (429, 5xx, dropped connections and timeouts
/// are retried; every attempt repeats the batch's Idempotency-Key, so a lost answer stores nothing
/// twice). The token goes in the Authorization header and nowhere else, and is masked in any message
/// that quotes it.
/// </summary>
public sealed class PlusoftClient(Uri apiUrl, string token, ResilientHttp http)
{
    private readonly Uri _api = apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");

    public Uri ApiUrl => _api;

    public string Endpoint(PlusoftEntity entity) => EndpointText.Mask(new Uri(_api, entity.Path));

    /// <summary>Sends one batch. Returns Delivered (2xx) or Rejected (a 4xx with the API's message);
    /// throws Unauthorized for a refused token and RemoteCallFailed when the API could not be reached or
    /// kept failing (5xx, 429, timeouts) after the policy's attempts.</summary>
    public async Task<PlusoftDelivery> PostAsync(PlusoftEntity entity, ReadOnlyMemory<byte> payload, string idempotencyKey, CancellationToken ct)
    {
        var url = new Uri(_api, entity.Path);
        var endpoint = EndpointText.Mask(url);
        HttpResponseMessage response;
        int attempts;
        try
        {
            (response, attempts) = await http.SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonBody.FromUtf8(payload) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.TryAddWithoutValidation(PlusoftContract.IdempotencyKeyHeader, idempotencyKey);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            }, $"POST {endpoint}", ct).ConfigureAwait(false);
        }
        catch (HttpCallFailedException ex)
        {
            throw new SyncException(SyncErrorKind.RemoteCallFailed, $"Plusoft {entity.Name}: {ex.Message}", ex, endpoint);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                PlusoftContract.Accepted? answer = null;
                try { answer = await response.Content.ReadFromJsonAsync<PlusoftContract.Accepted>(ct).ConfigureAwait(false); }
                catch (Exception ex) when (ex is JsonException or NotSupportedException) { /* delivered all the same; the batch id is unknown */ }
                return new PlusoftDelivery(true, status, attempts, answer?.Lote, null, []);
            }
            var (message, errors) = await ErrorAsync(response, ct).ConfigureAwait(false);
            var detail = message is null ? "" : $": {message}";
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new SyncException(SyncErrorKind.Unauthorized,
                    $"Plusoft refused the token at {endpoint} (HTTP {status}{detail}). Check -ApiKey (or save the token again with Save-SyncSecret).", target: endpoint);
            if (status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
                return new PlusoftDelivery(false, status, attempts, null, message ?? $"HTTP {status} {response.ReasonPhrase}", errors);
            throw new SyncException(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed ? SyncErrorKind.ApiRequestFailed : SyncErrorKind.RemoteCallFailed,
                $"Plusoft {entity.Name}: POST {endpoint} answered HTTP {status} {response.ReasonPhrase}{detail} after {attempts} attempt(s)." +
                (response.StatusCode == HttpStatusCode.NotFound ? " Is -ApiUrl the API's base URL?" : ""), target: endpoint);
        }
    }

    /// <summary>The API's message and record errors from an error answer, or its text when it is not the
    /// contract's shape; never the token.</summary>
    private async Task<(string? Message, IReadOnlyList<PlusoftContract.RecordError> Errors)> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string text;
        try { text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false); }
        catch (HttpRequestException) { return (null, []); }
        if (token.Length > 0) text = text.Replace(token, "****", StringComparison.Ordinal);
        try
        {
            var error = JsonSerializer.Deserialize<PlusoftContract.ErrorResponse>(text);
            if (error?.Mensagem is { } m) return (m, error.Erros ?? []);
        }
        catch (JsonException) { }
        text = text.Trim();
        return (text.Length == 0 ? null : text.Length > 500 ? text[..500] + "…" : text, []);
    }
}
