using System.Management.Automation;
using DataSyncPS.Engine.Notify;

namespace DataSyncPS.Hosting;

/// <summary>Whatever reaches Send-SyncNotification, as items of a notification: backups with their
/// fields, error records as failures, anything else by its text.</summary>
internal static class NotificationItems
{
    public static NotificationItem From(object? input) => (input is PSObject { BaseObject: not PSCustomObject } p ? p.BaseObject : input) switch
    {
        DbBackupResult b => NotificationItem.From(b),
        DbRestoreResult r => new NotificationItem(false, $"Restore of {r.Backup} into {r.Server}/{r.Database}",
            [new("Rows", r.Rows.ToString("N0")), new("Tables", r.Tables.ToString("N0")), new("Duration", MailText.Duration(r.Duration))]),
        ErrorRecord e => NotificationItem.Failure(Title(e), e.Exception?.Message ?? e.ToString(), e.TargetObject?.ToString(), e.FullyQualifiedErrorId),
        Exception ex => NotificationItem.Failure(ex.GetType().Name, ex.Message, null, null),
        null => new NotificationItem(false, "(nothing)", []),
        // A PSObject's own text: a [pscustomobject] shows as @{Name=...}, not as an empty string.
        var other => new NotificationItem(false, other.ToString() is { Length: > 0 } text ? text : other.GetType().Name, []),
    };

    private static string Title(ErrorRecord e) => e.TargetObject switch
    {
        SyncSource s => $"{s.Server}/{s.Database} ({s.Provider})",
        null => e.CategoryInfo.Activity ?? "Error",
        var t => t.ToString() ?? "Error",
    };
}
