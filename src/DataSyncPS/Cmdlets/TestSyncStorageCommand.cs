using System.Management.Automation;
using DataSyncPS.Engine.Storage;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Puts, reads back and deletes a small object at a destination, reporting each step, so a
/// bucket, its keys and endpoint can be checked before the first backup.</summary>
[Cmdlet(VerbsDiagnostic.Test, "SyncStorage")]
[OutputType(typeof(StorageTestStep))]
public sealed class TestSyncStorageCommand : StorageCmdlet
{
    /// <summary>s3://bucket/prefix, r2://bucket/prefix, or a folder.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    protected override void ProcessRecord()
    {
        var destination = ParseDestination(Destination!);
        using var storage = BackupStorage.Open(destination, StorageOptions());
        var steps = RunEngine(_ => StorageProbe.RunAsync(storage, StopToken), target: Destination);
        foreach (var step in steps)
        {
            WriteObject(step);
            if (!step.Succeeded)
                WriteError(SyncErrorRecords.From(new SyncException(step.ErrorKind ?? SyncErrorKind.StorageFailed, step.Message, target: step.Destination), step));
        }
    }
}
