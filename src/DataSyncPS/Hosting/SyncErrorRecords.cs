using System.Management.Automation;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Hosting;

/// <summary>Turns engine failures into error records: the ErrorId is the failure's kind (PascalCase
/// noun-problem, shared by every cmdlet), the category follows from it.</summary>
internal static class SyncErrorRecords
{
    public static ErrorRecord From(SyncException error, object? target = null) =>
        new(error, error.Kind.ToString(), Category(error.Kind), target ?? error.Target);

    /// <summary>Any failure, as an error record with one of our ErrorIds: never a raw .NET type name as
    /// the ErrorId, which an admin's script cannot catch by name.</summary>
    public static ErrorRecord From(Exception error, object? target = null) => From(Translate(error), target);

    public static SyncException Translate(Exception error) => error switch
    {
        SyncException s => s,
        IOException or UnauthorizedAccessException when Engine.Batches.OutputFailure.IsDiskFull(error) =>
            new SyncException(SyncErrorKind.DiskFull, "The disk is full: " + error.Message, error),
        IOException or UnauthorizedAccessException => new SyncException(SyncErrorKind.OutputNotWritable, error.Message, error),
        _ => new SyncException(SyncErrorKind.UnexpectedError, $"{error.GetType().Name}: {error.Message}", error),
    };

    /// <summary>Failures that would fail every other item of the pipeline the same way.</summary>
    public static bool EndsEveryItem(SyncErrorKind kind) => kind is SyncErrorKind.InvalidArgument
        or SyncErrorKind.StateStoreFailed or SyncErrorKind.OutputNotWritable or SyncErrorKind.DiskFull
        or SyncErrorKind.Unauthorized or SyncErrorKind.ProviderMissing or SyncErrorKind.UnexpectedError or SyncErrorKind.MappingInvalid;

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
        SyncErrorKind.RecordRejected => ErrorCategory.InvalidData,
        SyncErrorKind.StreamLocked => ErrorCategory.ResourceBusy,
        SyncErrorKind.OutputNotWritable => ErrorCategory.WriteError,
        SyncErrorKind.DiskFull => ErrorCategory.WriteError,
        SyncErrorKind.SameDatabase => ErrorCategory.InvalidArgument,
        SyncErrorKind.ValidationFailed => ErrorCategory.InvalidResult,
        SyncErrorKind.BackupToolMissing => ErrorCategory.NotInstalled,
        SyncErrorKind.BackupFailed => ErrorCategory.InvalidResult,
        SyncErrorKind.StorageFailed => ErrorCategory.ConnectionError,
        SyncErrorKind.BackupVerificationFailed => ErrorCategory.InvalidData,
        SyncErrorKind.NotificationFailed => ErrorCategory.ConnectionError,
        SyncErrorKind.UnexpectedError => ErrorCategory.NotSpecified,
        SyncErrorKind.JobExists => ErrorCategory.ResourceExists,
        SyncErrorKind.JobNotFound => ErrorCategory.ObjectNotFound,
        SyncErrorKind.SchedulerCommandFailed => ErrorCategory.InvalidResult,
        SyncErrorKind.MappingInvalid => ErrorCategory.InvalidData,
        SyncErrorKind.BatchRejected => ErrorCategory.InvalidData,
        _ => ErrorCategory.InvalidOperation,
    };
}
