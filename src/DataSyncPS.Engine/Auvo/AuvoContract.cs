using System.Text.Json.Serialization;

namespace DataSyncPS.Engine.Auvo;

/// <summary>
/// The Auvo API v2 as this module speaks it, in one place: paths, JSON shapes, entities and their keys.
/// Auvo's own documentation was not available when this was written: the shapes follow what the API is
/// publicly known to look like (a login that trades the API key and token for a bearer token, entity
/// lists paged with page/pageSize and filtered by a JSON paramFilter, answers wrapped in "result"),
/// and the test emulator (tests/DataSyncPS.Emulators/Auvo) speaks exactly this. Where the real API
/// differs, change it here and in the emulator.
/// <code>
/// POST {api}/login            {"apiKey": "...", "apiToken": "..."}   (JSON body, so no secret in a URL)
///   200 {"result": {"authenticated": true, "accessToken": "...", "expiration": "2024-05-01T12:30:00Z"}}
///   401 {"message": "..."}    a wrong key or token
/// GET  {api}/{entity}/?paramFilter={json}&amp;page=1&amp;pageSize=100&amp;order=asc
///      Authorization: Bearer {accessToken}
///   200 {"result": {"entityList": [{...}, ...],
///                   "pagedSearchReturnData": {"order": 0, "pageSize": 100, "page": 1, "totalItems": 1234}}}
///   401 the token expired or is unknown (log in again); 429 with Retry-After (seconds) over the rate
///   limit; 5xx; a page past the end has an empty entityList.
/// paramFilter: the entity's own filters (-Filter), plus "updatedSince" (ISO 8601, -Since and
///   -Incremental): records whose dateLastUpdate is at or after it. Lists are ordered by
///   (dateLastUpdate, key) ascending, so pages are stable while nothing changes.
/// Records: JSON objects; every entity has its natural key (below) and "dateLastUpdate" (ISO 8601
///   with offset). Times are ISO 8601 strings, numbers JSON numbers, nested objects and arrays as JSON.
/// </code>
/// </summary>
public static class AuvoContract
{
    public static readonly Uri DefaultApiUrl = new("https://api.auvo.com.br/v2/");

    public const string LoginPath = "login";
    public const string UpdatedField = "dateLastUpdate";
    public const string UpdatedSinceFilter = "updatedSince";
    public const int MaxPageSize = 1000;

    /// <summary>The entities and their natural keys.</summary>
    public static readonly IReadOnlyList<AuvoEntity> Entities =
    [
        new("customers", "id"),
        new("tasks", "taskID"),
        new("users", "userID"),
        new("equipments", "id"),
        new("products", "productId"),
        new("services", "id"),
        new("teams", "id"),
        new("segments", "id"),
        new("questionnaires", "id"),
    ];

    public static AuvoEntity Entity(string name) =>
        Entities.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new SyncException(SyncErrorKind.InvalidArgument,
            $"'{name}' is not an Auvo entity this module knows ({string.Join(", ", Entities.Select(e => e.Name))}).", target: name);

    public static string ListPath(AuvoEntity entity, string paramFilter, int page, int pageSize) =>
        $"{entity.Name}/?paramFilter={Uri.EscapeDataString(paramFilter)}&page={page}&pageSize={pageSize}&order=asc";

    public sealed record LoginRequest(
        [property: JsonPropertyName("apiKey")] string ApiKey,
        [property: JsonPropertyName("apiToken")] string ApiToken);

    public sealed record LoginResult(
        [property: JsonPropertyName("authenticated")] bool Authenticated,
        [property: JsonPropertyName("accessToken")] string? AccessToken,
        [property: JsonPropertyName("expiration")] DateTimeOffset? Expiration);

    public sealed record LoginResponse([property: JsonPropertyName("result")] LoginResult? Result);

    public sealed record PagedSearch(
        [property: JsonPropertyName("order")] int Order,
        [property: JsonPropertyName("pageSize")] int PageSize,
        [property: JsonPropertyName("page")] int Page,
        [property: JsonPropertyName("totalItems")] long TotalItems);
}

/// <summary>An Auvo entity list: its path name and the field that identifies its records.</summary>
public sealed record AuvoEntity(string Name, string KeyField);
