using System.Net;
using DataSyncPS.Engine.Http;

namespace DataSyncPS.Engine.DataSnap;

/// <summary>
/// Checks a DataSnap key before it is saved, with the same call the client makes (GET {api}/schemas/{slug}
/// through the shared resilience policy): 200 gives the schema's name, 401 a wrong key, 404 an unknown
/// schema. Messages name the API by scheme, host and path, never the key (nor user info in the URL).
/// </summary>
public sealed class DataSnapKeyValidator(ResilientHttp? http = null) : IApiKeyValidator
{
    public async Task<string?> ValidateAsync(Uri apiUrl, string schema, string apiKey, CancellationToken ct)
    {
        var owned = http is null ? new ResilientHttp(new HttpPolicyOptions { MaxAttempts = 3, ReadTimeout = TimeSpan.FromSeconds(30) }) : null;
        try
        {
            return (await new DataSnapClient(apiUrl, apiKey, http ?? owned!).GetSchemaAsync(schema, ct).ConfigureAwait(false)).Name;
        }
        catch (HttpCallFailedException ex)
        {
            var (kind, advice) = ex.Status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => (SyncErrorKind.AuthenticationFailed, " Check the key, or save it with -SkipValidation."),
                HttpStatusCode.NotFound => (SyncErrorKind.SchemaNotFound, " Check -Schema and -ApiUrl."),
                null => (SyncErrorKind.HostUnreachable, ""),
                _ => (SyncErrorKind.ApiRequestFailed, ""),
            };
            throw new SyncException(kind, ex.Message + advice, null, EndpointText.Mask(apiUrl));
        }
        finally
        {
            owned?.Dispose();
        }
    }
}
