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
}
