using System.Net;

namespace DataSyncPS.Engine.Notify;

/// <summary>Where and how a notification mail goes. The password stays in <see cref="Credential"/>.</summary>
public sealed class MailSettings
{
    public required string SmtpServer { get; init; }
    public int Port { get; init; } = 587;
    public MailSecurity Security { get; init; } = MailSecurity.Auto;
    public NetworkCredential? Credential { get; init; }
    public required string From { get; init; }
    public required IReadOnlyList<string> To { get; init; }
    /// <summary>Put before the generated subject (e.g. "[ERP]").</summary>
    public string? SubjectPrefix { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Trusts the server's certificate when its SHA-256 (or SHA-1) thumbprint is this one, whoever
    /// issued it: a self-signed or internal CA's certificate, without turning the check off.</summary>
    public string? CertificateThumbprint { get; init; }
    /// <summary>Accepts any certificate (the connection is still encrypted, but not authenticated).</summary>
    public bool SkipCertificateCheck { get; init; }
}
