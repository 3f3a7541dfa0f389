namespace DataSyncPS;

/// <summary>How the SMTP connection is protected: Auto (implicit TLS on 465, STARTTLS when offered
/// elsewhere), None, StartTls (required), SslOnConnect (implicit TLS).</summary>
public enum MailSecurity
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}
