using System.Management.Automation;
using DataSyncPS.Engine.Backup;
using DataSyncPS.Engine.Storage;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>The storage parameters every backup cmdlet takes the same way: -Endpoint, -Region,
/// -AccountId, -StorageCredential (access key id as user name, secret key as password; or the name of a
/// saved credential; without it, the AWS SDK's chain: environment, profile, instance role).</summary>
public abstract class StorageCmdlet : SyncCmdlet
{
    /// <summary>An S3-compatible store's URL (MinIO, s3rver, Wasabi...): path-style addressing; or R2's account endpoint.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    /// <summary>Cloudflare account id, for r2:// without -Endpoint (or CLOUDFLARE_ACCOUNT_ID).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccountId { get; set; }

    /// <summary>Access key id and secret key, or the name of a credential saved with Save-SyncSecret.</summary>
    [Parameter]
    [SavedSecret(SecretKind.Credential)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    public PSCredential? StorageCredential { get; set; }

    /// <summary>Attempts per call to the store, the first included (the module's retry policy).</summary>
    [Parameter]
    [ValidateRange(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <param name="partSizeMB">-PartSizeMB as given; null lets the store size parts for each backup.</param>
    private protected StorageOptions StorageOptions(int? partSizeMB = null) => new()
    {
        Credential = StorageCredential is null ? null
            : new StorageCredential(StorageCredential.UserName, StorageCredential.GetNetworkCredential().Password),
        PartSize = partSizeMB << 20,
        Retry = Engine.Storage.StorageOptions.DefaultRetry(MaxAttempts),
        Verbose = VerboseFromEngine,
    };

    /// <summary>A destination as typed: s3:// and r2:// as they are, a folder resolved like any PowerShell path.</summary>
    private protected BackupDestination ParseDestination(string destination) =>
        RunEngine(() => BackupDestination.Parse(IsUri(destination) ? destination : ResolvePath(destination), Endpoint, Region, AccountId), destination);

    private protected BackupLocation ParseLocation(string uriOrPath) =>
        RunEngine(() => BackupLocation.Parse(IsUri(uriOrPath) ? uriOrPath : ResolvePath(uriOrPath), Endpoint, Region, AccountId), uriOrPath);

    // Any scheme:// goes to the engine as typed (ftp:// is its InvalidArgument, not a PowerShell provider error).
    private static bool IsUri(string text) => text.Contains("://", StringComparison.Ordinal);

    private protected static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes:N0} B",
        < 1 << 20 => $"{bytes / 1024.0:N1} KB",
        < 1L << 30 => $"{bytes / 1048576.0:N1} MB",
        _ => $"{bytes / 1073741824.0:N2} GB",
    };
}
