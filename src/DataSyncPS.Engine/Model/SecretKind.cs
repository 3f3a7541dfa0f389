namespace DataSyncPS;

/// <summary>What a saved secret holds.</summary>
public enum SecretKind
{
    /// <summary>An API key, with the URL of the API it belongs to when known.</summary>
    ApiKey,

    /// <summary>A user name and password (database logins).</summary>
    Credential,
}
