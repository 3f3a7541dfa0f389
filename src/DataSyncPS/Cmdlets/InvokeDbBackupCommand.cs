using System.Diagnostics;
using System.Management.Automation;
using DataSyncPS.Engine.Backup;
using DataSyncPS.Engine.Storage;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Backs up databases (pg_dump, mariadb-dump/mysqldump, SQL Server BACKUP DATABASE) straight
/// into S3, R2, an S3-compatible store or a folder; verifies, and removes older backups when asked.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "DbBackup", SupportsShouldProcess = true)]
[OutputType(typeof(DbBackupResult))]
public sealed class InvokeDbBackupCommand : StorageCmdlet
{
    private const int ProgressId = 43;

    private IBackupStorage? _storage;
    private BackupDestination? _destination;
    private readonly List<DbBackupResult> _results = new();
    private readonly List<ErrorRecord> _failures = new();

    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public SyncSource[]? Source { get; set; }

    /// <summary>Databases of the source's server, by name or wildcard (* = every user database).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Database { get; set; }

    /// <summary>s3://bucket/prefix, r2://bucket/prefix, an S3-compatible store's s3:// with -Endpoint, or a folder.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>What to prove after the upload: Checksum, Structure (pg_restore --list / gzip and the dump's end), Restore (into -RestoreTarget).</summary>
    [Parameter]
    public BackupVerification Verify { get; set; } = BackupVerification.None;

    /// <summary>A server to restore into for -Verify Restore (a sandbox database is created there and dropped).</summary>
    [Parameter]
    public SyncSource? RestoreTarget { get; set; }

    /// <summary>Remove this database's backups older than this many days (never the newest).</summary>
    [Parameter]
    [ValidateRange(0, 36500)]
    public int RetentionDays { get; set; }

    /// <summary>Keep this many of this database's newest backups, remove the rest.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int Keep { get; set; }

    /// <summary>The dump tool, or the folder holding it (default: the PATH).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ToolPath { get; set; }

    /// <summary>pg_dump --no-owner.</summary>
    [Parameter]
    public SwitchParameter NoOwner { get; set; }

    /// <summary>A folder that also gets a copy of each backup as stored.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeepLocalCopy { get; set; }

    /// <summary>SQL Server: a folder (a share) the server writes the .bak into and this machine reads.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ServerBackupPath { get; set; }

    /// <summary>Multipart part size, the same for every part (R2's rule); memory is two parts. Without it,
    /// each backup's parts are sized so that S3's 10,000 hold twice the database's size on disk (5 MB at least).</summary>
    [Parameter]
    [ValidateRange(5, 1024)]
    public int PartSizeMB { get; set; } = 5;

    /// <summary>Mail when done: a hashtable of Send-SyncNotification's parameters (SmtpServer, To, From,
    /// Port, Security, Credential) plus On = 'Failure' (default) or 'Always'.</summary>
    [Parameter]
    public System.Collections.Hashtable? NotifyMail { get; set; }

    /// <summary>Events to Seq when done: a hashtable with SeqUrl, SeqApiKey (a SecureString or a saved
    /// key's name) and On = 'Always' (default) or 'Failure'.</summary>
    [Parameter]
    public System.Collections.Hashtable? NotifySeq { get; set; }

    private NotifySeqSettings? _seq;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (NotifyMail is not null) RunEngine(() => NotifyMailSettings.From(NotifyMail, out _), "NotifyMail");
        if (NotifySeq is not null) _seq = RunEngine(() => NotifySeqSettings.From(NotifySeq), "NotifySeq");
        if (Verify == BackupVerification.Restore && RestoreTarget is null)
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument, "-Verify Restore needs -RestoreTarget: a source on the server (a sandbox) to restore into.")));
        _destination = ParseDestination(Destination!);
        _storage = BackupStorage.Open(_destination, StorageOptions(MyInvocation.BoundParameters.ContainsKey(nameof(PartSizeMB)) ? PartSizeMB : null));
    }

    protected override void ProcessRecord()
    {
        foreach (var source in Source!)
        {
            IEnumerable<SyncSource> databases = [source];
            if (Database is { } patterns)
            {
                if (!RunEngineForItem(_ => DatabaseBackup.MatchDatabasesAsync(source, patterns, StopToken), out var names, target: source, failed: Failed)) continue;
                databases = names!.Select(n => DatabaseBackup.ForDatabase(source, n));
                if (names!.Count == 0) WriteWarning($"No database on {source.Server} matches {string.Join(", ", patterns)}.");
            }
            foreach (var db in databases) BackUp(db);
        }
    }

    private void BackUp(SyncSource db)
    {
        if (!ShouldProcess($"{db.Server}/{db.Database} ({db.Provider})", $"Back up to {_destination}")) return;
        var progress = new BackupProgress();
        var clock = Stopwatch.StartNew();
        var options = new BackupOptions
        {
            ToolPath = ToolPath is null ? null : ResolvePath(ToolPath),
            NoOwner = NoOwner,
            Verify = Verify,
            RestoreTarget = RestoreTarget,
            LocalCopyFolder = KeepLocalCopy is null ? null : ResolvePath(KeepLocalCopy),
            ServerBackupPath = ServerBackupPath,
        };
        var ok = RunEngineForItem(_ => DatabaseBackup.RunAsync(db, _storage!, options, progress, StopToken), out var result,
            () => ShowProgress(db, progress, clock), db, Failed);
        WriteProgress(new ProgressRecord(ProgressId, $"Invoke-DbBackup {db.Database}", "Done") { RecordType = ProgressRecordType.Completed });
        if (!ok) return;
        WriteVerbose($"{result!.Destination}: {Size(result.Bytes)}, SHA-256 {result.Sha256}, verified: {result.Verified}.");
        if (result.RestoredRowCounts is { } counts)
            WriteVerbose($"Restore test of {db.Database}: {counts.Count:N0} table(s), {counts.Values.Sum():N0} row(s): " +
                string.Join(", ", counts.Select(c => $"{c.Key} {c.Value:N0}")) + ".");
        ApplyRetention(result);
        _results.Add(result);
        WriteObject(result);
    }

    private void ApplyRetention(DbBackupResult latest)
    {
        int? days = MyInvocation.BoundParameters.ContainsKey(nameof(RetentionDays)) ? RetentionDays : null;
        int? keep = MyInvocation.BoundParameters.ContainsKey(nameof(Keep)) ? Keep : null;
        if (days is null && keep is null) return;
        if (!RunEngineForItem(_ => BackupRetention.ExpiredAsync(_storage!, latest, days, keep, DateTimeOffset.UtcNow, StopToken), out var expired, target: latest, failed: Failed)) return;
        var removed = new List<string>();
        foreach (var old in expired!)
        {
            var uri = _destination!.UriOf(old.Key);
            if (!ShouldProcess(uri, "Remove old backup")) continue;
            if (RunEngineForItem(async _ => { await _storage!.DeleteAsync(old.Key, StopToken); return true; }, out _, target: uri, failed: Failed)) removed.Add(uri);
        }
        latest.Removed = removed;
        if (removed.Count > 0) WriteVerbose($"Retention removed {removed.Count} older backup(s) of {latest.Server}/{latest.Database}.");
    }

    /// <summary>Keeps a failure for -NotifyMail and -NotifySeq; one that ends the run is reported now, before it throws.</summary>
    private void Failed(ErrorRecord record)
    {
        _failures.Add(record);
        if (record.Exception is SyncException { Kind: var kind } && SyncErrorRecords.EndsEveryItem(kind)) Notify();
    }

    private bool _notified;

    private void Notify()
    {
        if (_notified) return;
        _notified = true;
        var items = _results.Select(Engine.Notify.NotificationItem.From).Concat(_failures.Select(NotificationItems.From)).ToList();
        if (NotifyMail is not null) Mail(items);
        if (_seq is not null && (_seq.Always || _failures.Count > 0)) Seq(_seq, items);
    }

    private void Mail(List<Engine.Notify.NotificationItem> items)
    {
        var settings = NotifyMailSettings.From(NotifyMail!, out var always);
        if (!always && _failures.Count == 0) return;
        var (subject, body) = Engine.Notify.MailText.Compose(items, settings.SubjectPrefix ?? "[Invoke-DbBackup]", DateTimeOffset.Now);
        try
        {
            Engine.Notify.MailNotifier.SendAsync(settings, subject, body, CancellationToken.None).GetAwaiter().GetResult();
            WriteVerbose($"Mailed '{subject}' to {string.Join(", ", settings.To)}.");
        }
        catch (SyncException e)
        {
            WriteError(SyncErrorRecords.From(e, settings.SmtpServer));
        }
    }

    private void Seq(NotifySeqSettings seq, List<Engine.Notify.NotificationItem> items)
    {
        try
        {
            Engine.Notify.SeqNotifier.SendAsync(seq.Url, seq.ApiKey, items, "Invoke-DbBackup", DateTimeOffset.Now, CancellationToken.None).GetAwaiter().GetResult();
            WriteVerbose($"Sent {items.Count} event(s) to Seq at {seq.Url}.");
        }
        catch (SyncException e)
        {
            WriteError(SyncErrorRecords.From(e, seq.Url));
        }
    }

    private void ShowProgress(SyncSource db, BackupProgress progress, Stopwatch clock)
    {
        var rate = progress.ToolBytes / 1048576.0 / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        WriteProgress(new ProgressRecord(ProgressId, $"Invoke-DbBackup {db.Database}",
            $"{progress.Phase}: {Size(progress.ToolBytes)} dumped, {Size(progress.StoredBytes)} stored, {rate:N1} MB/s"));
    }

    protected override void EndProcessing()
    {
        Notify();
        _storage?.Dispose();
        base.EndProcessing();
    }
}
