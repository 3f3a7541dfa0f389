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
}
