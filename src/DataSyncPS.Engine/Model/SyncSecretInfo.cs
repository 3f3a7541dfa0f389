namespace DataSyncPS;

/// <summary>What is known about a saved secret without decrypting it. It never carries the secret.</summary>
public sealed class SyncSecretInfo
{
    public required string Name { get; init; }
    public required SecretKind Kind { get; init; }
    public required SecretScope Scope { get; init; }
    /// <summary>The login of a Credential; null for an ApiKey.</summary>
    public string? UserName { get; init; }
    /// <summary>The API an ApiKey was saved for, when given.</summary>
    public Uri? ApiUrl { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
    /// <summary>How the value is encrypted: aes-256-gcm, dpapi-currentuser or dpapi-localmachine.</summary>
    public required string Protection { get; init; }
    /// <summary>The store file that holds the secret.</summary>
    public required string Path { get; init; }

    public override string ToString() => Name;
}
