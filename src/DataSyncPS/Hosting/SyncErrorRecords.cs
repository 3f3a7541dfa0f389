using System.Management.Automation;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Hosting;

/// <summary>Turns engine failures into error records: the ErrorId is the failure's kind (PascalCase
/// noun-problem, shared by every cmdlet), the category follows from it.</summary>
internal static class SyncErrorRecords
{
    public static ErrorRecord From(SyncException error, object? target = null) =>
        new(error, error.Kind.ToString(), Category(error.Kind), target ?? error.Target);

    public static ErrorRecord Stopped(OperationCanceledException ex, object? target) =>
        new(ex, "OperationStopped", ErrorCategory.OperationStopped, target);

    public static ErrorCategory Category(SyncErrorKind kind) => kind switch
    {
        SyncErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
        SyncErrorKind.HostUnreachable => ErrorCategory.ConnectionError,
        SyncErrorKind.DatabaseNotFound or SyncErrorKind.TableNotFound or SyncErrorKind.ColumnNotFound or SyncErrorKind.PathNotFound
            or SyncErrorKind.SecretNotFound or SyncErrorKind.SchemaNotFound => ErrorCategory.ObjectNotFound,
        SyncErrorKind.ConnectionStringInvalid or SyncErrorKind.IdentifierInvalid or SyncErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        SyncErrorKind.ProviderMissing => ErrorCategory.NotInstalled,
        SyncErrorKind.LogEntryCorrupt => ErrorCategory.InvalidData,
        SyncErrorKind.RowTooLarge => ErrorCategory.LimitsExceeded,
        SyncErrorKind.StateStoreFailed => ErrorCategory.WriteError,
        SyncErrorKind.Cancelled => ErrorCategory.OperationStopped,
        SyncErrorKind.Unauthorized => ErrorCategory.AuthenticationError,
        SyncErrorKind.BatchCorrupt => ErrorCategory.InvalidData,
        SyncErrorKind.RemoteCallFailed => ErrorCategory.ConnectionError,
        SyncErrorKind.SecretExists => ErrorCategory.ResourceExists,
        SyncErrorKind.SecretUnreadable => ErrorCategory.InvalidData,
        SyncErrorKind.SecretStoreFailed => ErrorCategory.ResourceUnavailable,
        SyncErrorKind.SecretKeyFileInsecure => ErrorCategory.SecurityError,
        SyncErrorKind.ApiRequestFailed => ErrorCategory.ProtocolError,
        _ => ErrorCategory.InvalidOperation,
    };
}
