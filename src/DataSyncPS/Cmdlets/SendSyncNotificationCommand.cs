using System.Management.Automation;
using DataSyncPS.Engine.Notify;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Mails what a run did: the results piped in (DbBackupResult and others) and error records
/// (-ErrorRecord $errors, or piped), one message per call, failures first. The Seq half comes with the
/// module's logging.</summary>
[Cmdlet(VerbsCommunications.Send, "SyncNotification", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class SendSyncNotificationCommand : SyncCmdlet
{
    private readonly List<NotificationItem> _items = new();

    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Failures to report (e.g. -ErrorVariable's list, terminating errors' exceptions included).</summary>
    [Parameter]
    [ErrorRecords]
    public ErrorRecord[]? ErrorRecord { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? SmtpServer { get; set; }

    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 587;

    [Parameter]
    public MailSecurity Security { get; set; } = MailSecurity.Auto;

    /// <summary>SMTP login, or the name of a credential saved with Save-SyncSecret.</summary>
    [Parameter]
    [SavedSecret(SecretKind.Credential)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    public PSCredential? Credential { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? From { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string[]? To { get; set; }

    [Parameter]
    public string? SubjectPrefix { get; set; }

    /// <summary>Send only when something failed.</summary>
    [Parameter]
    public SwitchParameter OnlyOnFailure { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is not null) _items.Add(NotificationItems.From(InputObject));
    }

    protected override void EndProcessing()
    {
        Send();
        base.EndProcessing();
    }

    private void Send()
    {
        foreach (var e in ErrorRecord ?? []) _items.Add(NotificationItems.From(e));
        if (OnlyOnFailure && !_items.Any(i => i.Failed))
        {
            WriteVerbose("Nothing failed: no mail sent (-OnlyOnFailure).");
            return;
        }
        var settings = new MailSettings
        {
            SmtpServer = SmtpServer!, Port = Port, Security = Security, Credential = Credential?.GetNetworkCredential(),
            From = From!, To = To!, SubjectPrefix = SubjectPrefix,
        };
        var (subject, body) = MailText.Compose(_items, SubjectPrefix, DateTimeOffset.Now);
        if (!ShouldProcess($"{string.Join(", ", To!)} through {SmtpServer}:{Port}", $"Send '{subject}'")) return;
        RunEngine(_ => Send(settings, subject, body), target: SmtpServer);
        WriteVerbose($"Sent '{subject}' to {string.Join(", ", To!)}.");
    }

    private async Task<bool> Send(MailSettings settings, string subject, string body)
    {
        await MailNotifier.SendAsync(settings, subject, body, StopToken);
        return true;
    }
}
