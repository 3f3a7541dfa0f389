using System.Diagnostics;
using System.Management.Automation;
using DataSyncPS.Engine.Backup;
using DataSyncPS.Engine.Storage;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Restores a backup (a DbBackupResult, an s3:// / r2:// URI, or a file) into a target
/// database with pg_restore or the mysql client, streamed from storage; reports the row counts.</summary>
[Cmdlet(VerbsData.Restore, "DbBackup", DefaultParameterSetName = ResultSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DbRestoreResult))]
public sealed class RestoreDbBackupCommand : StorageCmdlet
{
    private const string ResultSet = "Result";
    private const string PathSet = "Path";
    private const int ProgressId = 44;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ResultSet)]
    public DbBackupResult? InputObject { get; set; }

    /// <summary>s3://bucket/key, r2://bucket/key, or a backup file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Uri", "FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Where to restore: a source on the target server (its database, or -Database).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public SyncSource? Target { get; set; }

    /// <summary>The database to restore into, on the target's server (default: the target's own).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>Create the target database first.</summary>
    [Parameter]
    public SwitchParameter CreateDatabase { get; set; }

    /// <summary>Restore even over the database the backup was taken from.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ToolPath { get; set; }

    protected override void ProcessRecord()
    {
        var location = InputObject is not null
            ? RunEngine(() => BackupLocation.Parse(InputObject.Destination, Endpoint ?? InputObject.Endpoint, Region ?? InputObject.Region, AccountId), InputObject)
            : ParseLocation(Path!);
        var target = Database is null ? Target! : DatabaseBackup.ForDatabase(Target!, Database);
        if (!ShouldProcess($"{target.Server}/{target.Database} ({target.Provider})", $"Restore {location.Uri}" + (CreateDatabase ? " into a new database" : " (objects in the backup are replaced)"))) return;
        using var storage = BackupStorage.Open(location.Destination, StorageOptions());
        var progress = new BackupProgress();
        var clock = Stopwatch.StartNew();
        var options = new RestoreOptions { CreateDatabase = CreateDatabase, Force = Force, ToolPath = ToolPath is null ? null : ResolvePath(ToolPath) };
        if (RunEngineForItem(_ => DatabaseRestore.RunAsync(storage, location.Key, target, options, progress, StopToken), out var result, () =>
            {
                var rate = progress.StoredBytes / 1048576.0 / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                WriteProgress(new ProgressRecord(ProgressId, $"Restore-DbBackup {target.Database}", $"{progress.Phase}: {Size(progress.StoredBytes)} read, {rate:N1} MB/s"));
            }, location.Uri))
            WriteObject(result);
        WriteProgress(new ProgressRecord(ProgressId, $"Restore-DbBackup {target.Database}", "Done") { RecordType = ProgressRecordType.Completed });
    }
}
