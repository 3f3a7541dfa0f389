using System.Net;
using System.Text.Json;

namespace DataSyncPS.Engine.DataSnap;

/// <summary>
/// GET {api}/schemas/{slug} with the X-API-Key header (DESIGN, external contracts: DataSnap): 200 with
/// {"slug", "name"} when the key works, 401 for a wrong key, 404 for an unknown schema. Messages name the
/// API by scheme, host and path, never the key (nor user info in the URL).
/// </summary>
public sealed class DataSnapKeyValidator : IApiKeyValidator
{
    public const string ApiKeyHeader = "X-API-Key";

    private static readonly HttpClient SharedClient = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly HttpClient _client;

    public DataSnapKeyValidator(HttpClient? client = null) => _client = client ?? SharedClient;

    public static Uri SchemaUri(Uri apiUrl, string schema) =>
        new(apiUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/schemas/" + Uri.EscapeDataString(schema));

    public async Task<string?> ValidateAsync(Uri apiUrl, string schema, string apiKey, CancellationToken ct)
    {
        var uri = SchemaUri(apiUrl, schema);
        var shown = $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        HttpResponseMessage response;
        try { response = await _client.SendAsync(request, ct).ConfigureAwait(false); }
        catch (HttpRequestException ex)
        {
            throw new SyncException(SyncErrorKind.HostUnreachable, $"The DataSnap API at {shown} cannot be reached: {Masked(ex.Message, apiKey)}", ex, shown);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new SyncException(SyncErrorKind.HostUnreachable, $"The DataSnap API at {shown} did not answer within {_client.Timeout.TotalSeconds:N0} s.", ex, shown);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var said = ErrorText(body) is { } e ? $": {Masked(e, apiKey)}" : ".";
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return Property(body, "name");
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new SyncException(SyncErrorKind.AuthenticationFailed,
                        $"The DataSnap API at {shown} rejected the API key ({(int)response.StatusCode}){said} Check the key, or save it with -SkipValidation.", target: shown);
                case HttpStatusCode.NotFound:
                    throw new SyncException(SyncErrorKind.SchemaNotFound,
                        $"The DataSnap API at {shown} has no schema '{schema}' (404){said} Check -Schema and -ApiUrl.", target: schema);
                default:
                    throw new SyncException(SyncErrorKind.ApiRequestFailed,
                        $"The DataSnap API at {shown} answered {(int)response.StatusCode} {response.ReasonPhrase}{said}", target: shown);
            }
        }
    }

    /// <summary>A server may quote what it was sent: the key never reaches a message.</summary>
    private static string Masked(string text, string apiKey) =>
        apiKey.Length == 0 ? text : text.Replace(apiKey, "****", StringComparison.Ordinal);

    private static string? ErrorText(string body) => Property(body, "error");

    private static string? Property(string body, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}
