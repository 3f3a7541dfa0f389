using System.Management.Automation;
using DataSyncPS.Engine.Notify;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Reports what a run did: the results piped in (DbBackupResult and others) and error records
/// (-ErrorRecord $errors, or piped), failures first, as one mail (-SmtpServer), as structured events in
/// Seq (-SeqUrl), or both.</summary>
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

    [Parameter]
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

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? From { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? To { get; set; }

    [Parameter]
    public string? SubjectPrefix { get; set; }

    /// <summary>Trusts the SMTP server's certificate by its SHA-256 (or SHA-1) thumbprint: a self-signed or
    /// internal CA's certificate, still checked.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateThumbprint { get; set; }

    /// <summary>Accepts any certificate from the SMTP server (encrypted, not authenticated).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>The Seq server (its base URL); events go to api/events/raw?clef.</summary>
    [Parameter]
    public Uri? SeqUrl { get; set; }

    /// <summary>Seq's API key, or the name of one saved with Save-SyncSecret.</summary>
    [Parameter]
    [SavedSecret(SecretKind.ApiKey)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    public System.Security.SecureString? SeqApiKey { get; set; }

    /// <summary>Send only when something failed.</summary>
    [Parameter]
    public SwitchParameter OnlyOnFailure { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        // Mail, Seq or both: checked here rather than by parameter sets, which cannot say "at least one of".
        if (SmtpServer is null && SeqUrl is null)
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument, "Say where to send: -SmtpServer (with -From and -To) for a mail, -SeqUrl for Seq, or both.")));
        if (SmtpServer is not null && (From is null || To is null))
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument, "A mail needs -From and -To as well as -SmtpServer.")));
    }

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
            WriteVerbose("Nothing failed: nothing sent (-OnlyOnFailure).");
            return;
        }
        if (SmtpServer is not null) Mail();
        if (SeqUrl is not null) Seq();
    }

    private void Mail()
    {
        var settings = new MailSettings
        {
            SmtpServer = SmtpServer!, Port = Port, Security = Security, Credential = Credential?.GetNetworkCredential(),
            From = From!, To = To!, SubjectPrefix = SubjectPrefix,
            CertificateThumbprint = CertificateThumbprint, SkipCertificateCheck = SkipCertificateCheck,
        };
        var (subject, body) = MailText.Compose(_items, SubjectPrefix, DateTimeOffset.Now);
        if (!ShouldProcess($"{string.Join(", ", To!)} through {SmtpServer}:{Port}", $"Send '{subject}'")) return;
        RunEngine(_ => Send(settings, subject, body), target: SmtpServer);
        WriteVerbose($"Sent '{subject}' to {string.Join(", ", To!)}.");
    }

    private void Seq()
    {
        if (!ShouldProcess(SeqUrl!.ToString(), $"Send {_items.Count} event(s) to Seq")) return;
        var key = SeqApiKey is null ? null : new System.Net.NetworkCredential("", SeqApiKey).Password;
        RunEngine(async _ => { await SeqNotifier.SendAsync(SeqUrl!, key, _items, "Send-SyncNotification", DateTimeOffset.Now, StopToken); return true; }, target: SeqUrl);
        WriteVerbose($"Sent {_items.Count} event(s) to Seq at {SeqUrl}.");
    }

    private async Task<bool> Send(MailSettings settings, string subject, string body)
    {
        await MailNotifier.SendAsync(settings, subject, body, StopToken);
        return true;
    }
}
