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
    /// <summary>Another process is exporting the same stream (its lock is held in the state store's folder).</summary>
    StreamLocked,
    /// <summary>The output folder cannot be created or written (read-only, a file in the way, no permission).</summary>
    OutputNotWritable,
    /// <summary>The disk holding the output folder or state store is full.</summary>
    DiskFull,
    /// <summary>A record that cannot be written to a table (no key, a value its column cannot take); the others go on.</summary>
    RecordRejected,
    /// <summary>Copy-DbStructure was given the same database as source and target.</summary>
    SameDatabase,
    /// <summary>A structure copy ran but its result did not validate (a difference or a data checksum remains).</summary>
    ValidationFailed,
    /// <summary>A dump or restore tool (pg_dump, mariadb-dump...) is not installed, or older than the server.</summary>
    BackupToolMissing,
    /// <summary>A dump or restore tool failed (its stderr is in the message), or a backup could not be taken.</summary>
    BackupFailed,
    /// <summary>The backup storage refused a call or could not be reached (S3, R2, a folder).</summary>
    StorageFailed,
    /// <summary>A backup was read back and did not check out (size, SHA-256, structure, restore).</summary>
    BackupVerificationFailed,
    /// <summary>A notification (mail) could not be sent.</summary>
    NotificationFailed,
    /// <summary>A failure the module did not foresee; the message has the detail (please report it).</summary>
    UnexpectedError,
    /// <summary>A scheduled job of that name is already registered (Register-SyncJob without -Force).</summary>
    JobExists,
    /// <summary>No scheduled job of that name is registered.</summary>
    JobNotFound,
    /// <summary>systemctl, crontab or schtasks refused a job.</summary>
    SchedulerCommandFailed,
    /// <summary>A mapping file (Sync-Plusoft -MappingPath, or the default one) is not valid: an unknown
    /// entity, field or option, a required API field left unmapped, a bad format.</summary>
    MappingInvalid,
    /// <summary>An API refused a batch (4xx with a message): the batch stays pending for -Pending, the others go on.</summary>
    BatchRejected,
}
