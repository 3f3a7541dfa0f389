using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace DataSyncPS.Engine.Notify;

/// <summary>Sends a notification through SMTP with MailKit: STARTTLS or implicit TLS, login when given.
/// The server's certificate is checked against the machine's trusted roots, or trusted by its thumbprint
/// (<see cref="MailSettings.CertificateThumbprint"/>), or not checked when asked in so many words
/// (<see cref="MailSettings.SkipCertificateCheck"/>). Failures are <see cref="SyncErrorKind.NotificationFailed"/>
/// (<see cref="SyncErrorKind.AuthenticationFailed"/> for a refused login) naming the server, never the password.</summary>
public static class MailNotifier
{
    public static async Task SendAsync(MailSettings settings, string subject, string body, CancellationToken ct)
    {
        if (settings.To.Count == 0) throw new SyncException(SyncErrorKind.InvalidArgument, "A notification mail needs at least one -To address.");
        var message = new MimeMessage();
        try
        {
            message.From.Add(MailboxAddress.Parse(settings.From));
            foreach (var to in settings.To) message.To.Add(MailboxAddress.Parse(to));
        }
        catch (ParseException e)
        {
            throw new SyncException(SyncErrorKind.InvalidArgument, $"A mail address is not valid: {e.Message}", e);
        }
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };

        var where = $"{settings.SmtpServer}:{settings.Port}";
        var pinned = Thumbprint(settings.CertificateThumbprint);
        string? presented = null;
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            presented = certificate is null ? null : Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
            if (settings.SkipCertificateCheck) return true;
            if (pinned is not null) return certificate is not null && Matches(certificate, pinned);
            return errors == SslPolicyErrors.None;
        };
        try
        {
            await client.ConnectAsync(settings.SmtpServer, settings.Port, settings.Security switch
            {
                MailSecurity.None => SecureSocketOptions.None,
                MailSecurity.StartTls => SecureSocketOptions.StartTls,
                MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.Auto,
            }, ct).ConfigureAwait(false);
            if (settings.Credential is { } login) await client.AuthenticateAsync(login.UserName, login.Password, ct).ConfigureAwait(false);
            await client.SendAsync(message, ct).ConfigureAwait(false);
            await client.DisconnectAsync(true, ct).ConfigureAwait(false);
        }
        catch (SslHandshakeException e) when (presented is not null)
        {
            throw new SyncException(SyncErrorKind.NotificationFailed,
                $"The SMTP server {where} presented a certificate that is not trusted (SHA-256 thumbprint {presented}). If it is your server's, " +
                "trust it with -CertificateThumbprint (CertificateThumbprint in -NotifyMail), or install its CA; -SkipCertificateCheck turns the check off.", e, where);
        }
        catch (AuthenticationException e)
        {
            throw new SyncException(SyncErrorKind.AuthenticationFailed, $"The SMTP server {where} refused the login of '{settings.Credential?.UserName}': {e.Message}", e, where);
        }
        catch (Exception e) when (e is not OperationCanceledException and not SyncException)
        {
            throw new SyncException(SyncErrorKind.NotificationFailed, $"The mail to {string.Join(", ", settings.To)} through {where} was not sent: {e.Message}", e, where);
        }
    }

    /// <summary>A thumbprint as admins copy it (any case, with spaces or colons), as hex digits; a SHA-256
    /// one has 64, a SHA-1 one (what Windows shows) 40.</summary>
    internal static string? Thumbprint(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var hex = new string(text.Where(c => !char.IsWhiteSpace(c) && c != ':').ToArray()).ToUpperInvariant();
        if (hex.Length is not (64 or 40) || !hex.All(char.IsAsciiHexDigit))
            throw new SyncException(SyncErrorKind.InvalidArgument, $"'{text}' is not a certificate thumbprint: 64 hex digits (SHA-256) or 40 (SHA-1).");
        return hex;
    }

    private static bool Matches(X509Certificate certificate, string thumbprint)
    {
        var raw = certificate.GetRawCertData();
        var actual = thumbprint.Length == 64 ? SHA256.HashData(raw) : SHA1.HashData(raw);
        return CryptographicOperations.FixedTimeEquals(actual, Convert.FromHexString(thumbprint));
    }
}
