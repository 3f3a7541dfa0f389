namespace DataSyncPS.Engine.DataSnap;

/// <summary>Checks an API key against its API before it is saved. An interface so that the DataSnap
/// client can later run it through the module's one resilience policy, and tests can stand in for it.</summary>
public interface IApiKeyValidator
{
    /// <summary>The schema's display name when the key works; otherwise a <see cref="SyncException"/>:
    /// AuthenticationFailed (401), SchemaNotFound (404), HostUnreachable, ApiRequestFailed.</summary>
    Task<string?> ValidateAsync(Uri apiUrl, string schema, string apiKey, CancellationToken ct);
}
