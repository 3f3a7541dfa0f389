using System.Collections;
using System.Management.Automation;
using DataSyncPS.Engine.Notify;
using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Hosting;

/// <summary>-NotifyMail's hashtable (Send-SyncNotification's parameter names) as mail settings;
/// Credential may be a PSCredential or a saved credential's name.</summary>
internal static class NotifyMailSettings
{
    private static readonly string[] Known = ["SmtpServer", "Port", "Security", "Credential", "From", "To", "SubjectPrefix", "CertificateThumbprint", "SkipCertificateCheck", "On"];

    public static MailSettings From(Hashtable table, out bool always)
    {
        string? Text(string key) => table.ContainsKey(key) ? LanguagePrimitives.ConvertTo<string>(table[key]) : null;
        foreach (var key in table.Keys.Cast<object>().Select(k => k.ToString()!))
            if (!Known.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw Bad($"-NotifyMail has an unknown key '{key}' (known: {string.Join(", ", Known)}).");
        var on = Text("On") ?? "Failure";
        if (!on.Equals("Failure", StringComparison.OrdinalIgnoreCase) && !on.Equals("Always", StringComparison.OrdinalIgnoreCase))
            throw Bad("-NotifyMail's On is 'Failure' or 'Always'.");
        always = on.Equals("Always", StringComparison.OrdinalIgnoreCase);
        var credential = table["Credential"] is { } c ? Credential(c is PSObject p ? p.BaseObject : c) : null;
        return new MailSettings
        {
            SmtpServer = Text("SmtpServer") ?? throw Bad("-NotifyMail needs SmtpServer."),
            Port = table.ContainsKey("Port") ? LanguagePrimitives.ConvertTo<int>(table["Port"]) : 587,
            Security = table.ContainsKey("Security") ? LanguagePrimitives.ConvertTo<MailSecurity>(table["Security"]) : MailSecurity.Auto,
            Credential = credential,
            From = Text("From") ?? throw Bad("-NotifyMail needs From."),
            To = table["To"] is { } to ? LanguagePrimitives.ConvertTo<string[]>(to) : throw Bad("-NotifyMail needs To."),
            SubjectPrefix = Text("SubjectPrefix"),
            CertificateThumbprint = Text("CertificateThumbprint"),
            SkipCertificateCheck = table.ContainsKey("SkipCertificateCheck") && LanguagePrimitives.IsTrue(table["SkipCertificateCheck"]),
        };
    }

    private static System.Net.NetworkCredential Credential(object value)
    {
        if (value is PSCredential p) return p.GetNetworkCredential();
        if (value is string name)
        {
            using var saved = SecretStore.ReadSaved(name, out _) ?? throw Bad($"-NotifyMail's Credential '{name}' is not a saved secret.");
            if (saved.Info.Kind != SecretKind.Credential) throw Bad($"The saved secret '{name}' is not a credential.");
            return new PSCredential(saved.Info.UserName!, saved.ToSecureString()).GetNetworkCredential();
        }
        throw Bad("-NotifyMail's Credential is a PSCredential or a saved credential's name.");
    }

    private static SyncException Bad(string message) => new(SyncErrorKind.InvalidArgument, message);
}
