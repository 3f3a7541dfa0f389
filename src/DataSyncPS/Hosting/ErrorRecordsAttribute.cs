using System.Collections;
using System.Management.Automation;

namespace DataSyncPS.Hosting;

/// <summary>
/// Lets -ErrorRecord take what -ErrorVariable collects: besides error records, a statement-terminating
/// error arrives there as the exception that carried it (CmdletInvocationException), which would
/// otherwise fail the binding and lose the very failure the mail is for.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ErrorRecordsAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var items = (inputData is PSObject p ? p.BaseObject : inputData) switch
        {
            null => [],
            string s => [s],
            IEnumerable e => e.Cast<object?>(),
            var single => [single],
        };
        return items.Select(ToRecord).Where(r => r is not null).ToArray();
    }

    private static ErrorRecord? ToRecord(object? item) => (item is PSObject p ? p.BaseObject : item) switch
    {
        null => null,
        ErrorRecord r => r,
        IContainsErrorRecord { ErrorRecord: { } r } => r,
        Exception e => new ErrorRecord(e, e.GetType().Name, ErrorCategory.NotSpecified, null),
        var other => new ErrorRecord(new Exception(other.ToString()), "Error", ErrorCategory.NotSpecified, null),
    };
}
