using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace DataSyncPS.Engine.Notify;

/// <summary>Sends a notification through SMTP with MailKit: STARTTLS or implicit TLS, login when given.
/// Failures are <see cref="SyncErrorKind.NotificationFailed"/> naming the server, never the password.</summary>
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
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
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
        catch (AuthenticationException e)
        {
            throw new SyncException(SyncErrorKind.AuthenticationFailed, $"The SMTP server {where} refused the login of '{settings.Credential?.UserName}': {e.Message}", e, where);
        }
        catch (Exception e) when (e is not OperationCanceledException and not SyncException)
        {
            throw new SyncException(SyncErrorKind.NotificationFailed, $"The mail to {string.Join(", ", settings.To)} through {where} was not sent: {e.Message}", e, where);
        }
    }
}
