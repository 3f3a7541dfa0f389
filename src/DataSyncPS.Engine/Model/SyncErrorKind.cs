namespace DataSyncPS;

/// <summary>What went wrong, in words the cmdlets turn into ErrorIds and categories.</summary>
public enum SyncErrorKind
{
    InvalidArgument,
    ConnectionStringInvalid,
    HostUnreachable,
    AuthenticationFailed,
    DatabaseNotFound,
    ProviderMissing,
    TableNotFound,
    ColumnNotFound,
    IdentifierInvalid,
    QueryFailed,
    PathNotFound,
    LogEntryCorrupt,
    RowTooLarge,
    StateStoreFailed,
    Cancelled,
    BatchCorrupt,
    RemoteCallFailed,
    Unauthorized,
    /// <summary>No saved secret by that name.</summary>
    SecretNotFound,
    /// <summary>Saving would replace a secret without -Force.</summary>
    SecretExists,
    /// <summary>A saved secret cannot be decrypted: tampered, another machine's or user's, key lost.</summary>
    SecretUnreadable,
    /// <summary>The secret store cannot be read or written (permissions, disk).</summary>
    SecretStoreFailed,
    /// <summary>The key file could be read or replaced by someone else, so it is not used.</summary>
    SecretKeyFileInsecure,
    /// <summary>An API answered that the schema (or other named object) does not exist.</summary>
    SchemaNotFound,
    /// <summary>An API answered with an unexpected status.</summary>
    ApiRequestFailed,
}
