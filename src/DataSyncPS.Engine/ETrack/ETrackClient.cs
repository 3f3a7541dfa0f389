using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Auvo;
using DataSyncPS.Engine.Http;

namespace DataSyncPS.Engine.ETrack;

/// <summary>
/// The e-Track calls (<see cref="ETrackContract"/>) through the shared resilience policy, whose connect
/// and read timeouts, backoff with jitter and Retry-After apply. A call that still fails says which
/// exception ended it (ConnectTimeout, SocketException...), as the seed's retry helper logged it.
/// </summary>
public sealed class ETrackClient(Uri apiUrl, string user, string apiKey, ResilientHttp http)
{
    private readonly Uri _api = apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");
    private readonly string _basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + apiKey));

    public Uri ApiUrl => _api;

    public async Task<IReadOnlyList<string>> VehiclesAsync(CancellationToken ct)
    {
        var list = await GetAsync(ETrackContract.VehiclesPath, "veiculos", "vehicles", ct).ConfigureAwait(false);
        return list.Select(v => v.TryGetValue("placa", out var p) ? Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture) : null)
            .Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).ToList();
    }

    public Task<List<Dictionary<string, object?>>> LatestAsync(CancellationToken ct) =>
        GetAsync(ETrackContract.LatestPath, "posicoes", "latest positions", ct);

    public Task<List<Dictionary<string, object?>>> HistoryAsync(string plate, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        GetAsync(ETrackContract.HistoryPath(plate, from, to), "posicoes", $"positions of {plate} from {ETrackContract.Iso(from)} to {ETrackContract.Iso(to)}", ct);

    private async Task<List<Dictionary<string, object?>>> GetAsync(string path, string listField, string what, CancellationToken ct)
    {
        var url = new Uri(_api, path);
        var call = $"GET {EndpointText.Mask(url)}";
        try
        {
            var (response, attempts) = await http.SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _basic);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            }, call, ct).ConfigureAwait(false);
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    throw new SyncException(SyncErrorKind.Unauthorized, $"e-Track refused the user and API key at {EndpointText.Mask(url)} (HTTP {(int)response.StatusCode}{Detail(text)}).", target: EndpointText.Mask(url));
                if (!response.IsSuccessStatusCode)
                    throw new SyncException(SyncErrorKind.ApiRequestFailed,
                        $"e-Track {what}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}{Detail(text)} at {EndpointText.Mask(url)} after {attempts} attempt(s).", target: EndpointText.Mask(url));
                using var doc = JsonDocument.Parse(text);
                if (!doc.RootElement.TryGetProperty(listField, out var list) || list.ValueKind != JsonValueKind.Array)
                    throw new SyncException(SyncErrorKind.ApiRequestFailed, $"e-Track answered {call} without a '{listField}' list{Detail(text)}.", target: EndpointText.Mask(url));
                return list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(JsonRecord.ToDictionary).ToList();
            }
        }
        catch (HttpCallFailedException ex)
        {
            throw new SyncException(SyncErrorKind.RemoteCallFailed, $"e-Track {what}: {ex.Message} ({ExceptionTypes(ex)})", ex, EndpointText.Mask(url));
        }
        catch (JsonException ex)
        {
            throw new SyncException(SyncErrorKind.ApiRequestFailed, $"e-Track answered {call} with JSON it cannot read: {ex.Message}", ex, EndpointText.Mask(url));
        }
    }

    /// <summary>The exception types under the final failure, outermost first: what the seed's logs showed
    /// (ConnectTimeout, ReadTimeout, SocketException) to tell a dead network from a slow server.</summary>
    public static string ExceptionTypes(Exception ex)
    {
        var names = new List<string>();
        for (var e = ex.InnerException; e is not null; e = e.InnerException)
            names.Add(e switch
            {
                Polly.Timeout.TimeoutRejectedException => "ReadTimeout (TimeoutRejectedException)",
                TimeoutException when names.Count > 0 => "ConnectTimeout (TimeoutException)",
                _ => e.GetType().Name,
            });
        return names.Count == 0 ? "exception: " + ex.GetType().Name : "exception: " + string.Join(" > ", names);
    }

    private static string Detail(string text) =>
        string.IsNullOrWhiteSpace(text) ? "" : ": " + (text.Length > 300 ? text[..300] + "…" : text);
}
