using System.Management.Automation;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Notification mail through SMTP servers that demand TLS and a login (smtp4dev with a
/// self-signed certificate, .ci/servers.sh): STARTTLS and implicit TLS, the certificate trusted by its
/// thumbprint or explicitly not checked, refused when neither, a wrong password refused by name — and
/// the password in no output, error, verbose message or log file.</summary>
public class MailSecurityTests
{
    private static PSCredential Login(string? password = null) =>
        new(TestEnvironment.SmtpUser, new System.Net.NetworkCredential("", password ?? TestEnvironment.SmtpPassword).SecurePassword);

    private static string Marker() => "[mailtls-" + Guid.NewGuid().ToString("N")[..8] + "]";

    private static Dictionary<string, object?> Vars(SecureMailServer server, string marker, PSCredential? login = null) => new()
    {
        ["smtp"] = TestEnvironment.SmtpHost, ["port"] = server.Port, ["marker"] = marker, ["cred"] = login ?? Login(),
        ["thumb"] = SecureMailServer.Thumbprint,
    };

    [Fact]
    public void STARTTLS_with_a_login_delivers_when_the_certificate_is_trusted_by_its_thumbprint()
    {
        var server = SecureMailServer.StartTls;
        server.Require();
        var marker = Marker();
        using var rs = new ModuleRunspace();
        rs.Run("""
            [pscustomobject]@{ Job = 'vendas' } | Send-SyncNotification -SmtpServer $smtp -Port $port -Security StartTls -Credential $cred `
                -CertificateThumbprint $thumb -From 'backup@example.com' -To 'dba@example.com' -SubjectPrefix $marker
            """, Vars(server, marker)).AssertNoErrors();
        var mail = Assert.Single(server.Find(marker));
        Assert.Equal(["dba@example.com"], mail.To);
        Assert.Contains("OK: 1", mail.Subject);
    }

    [Fact]
    public void Implicit_TLS_with_a_login_delivers_when_the_check_is_skipped_explicitly()
    {
        var server = SecureMailServer.ImplicitTls;
        server.Require();
        var marker = Marker();
        using var rs = new ModuleRunspace();
        rs.Run("""
            'done' | Send-SyncNotification -SmtpServer $smtp -Port $port -Security SslOnConnect -Credential $cred -SkipCertificateCheck `
                -From 'backup@example.com' -To 'dba@example.com' -SubjectPrefix $marker
            """, Vars(server, marker)).AssertNoErrors();
        Assert.Single(server.Find(marker));
    }

    [Fact]
    public void An_untrusted_certificate_is_refused_with_its_thumbprint_and_the_ways_to_trust_it()
    {
        var server = SecureMailServer.ImplicitTls;
        server.Require();
        var marker = Marker();
        using var rs = new ModuleRunspace();
        var run = rs.Run("""
            'done' | Send-SyncNotification -SmtpServer $smtp -Port $port -Security SslOnConnect -Credential $cred `
                -From 'backup@example.com' -To 'dba@example.com' -SubjectPrefix $marker
            """, Vars(server, marker));
        var error = Assert.Single(run.Errors);
        Assert.Equal("NotificationFailed,DataSyncPS.Cmdlets.SendSyncNotificationCommand", error.FullyQualifiedErrorId);
        Assert.Contains(SecureMailServer.Thumbprint.Replace(":", ""), error.Exception.Message);
        Assert.Contains("-CertificateThumbprint", error.Exception.Message);
        Assert.Contains("-SkipCertificateCheck", error.Exception.Message);
        Assert.Empty(server.Find(marker));
    }

    [Fact]
    public void A_wrong_password_is_AuthenticationFailed_and_no_password_shows_in_output_errors_verbose_or_the_log()
    {
        var server = SecureMailServer.StartTls;
        server.Require();
        const string wrong = "Wrong-Mail-Canary-7731";
        var marker = Marker();
        using var logs = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = Vars(server, marker, Login(wrong));
        vars["good"] = Login();
        vars["logs"] = logs.Path;
        var run = rs.Run("""
            Set-SyncLogging -Scope Session -Path $logs -Level Verbose
            'done' | Send-SyncNotification -SmtpServer $smtp -Port $port -Security StartTls -Credential $cred -CertificateThumbprint $thumb `
                -From 'backup@example.com' -To 'dba@example.com' -SubjectPrefix $marker -Verbose
            'done' | Send-SyncNotification -SmtpServer $smtp -Port $port -Security StartTls -Credential $good -CertificateThumbprint $thumb `
                -From 'backup@example.com' -To 'dba@example.com' -SubjectPrefix $marker -Verbose
            """, vars);
        var error = Assert.Single(run.Errors);
        Assert.Equal("AuthenticationFailed,DataSyncPS.Cmdlets.SendSyncNotificationCommand", error.FullyQualifiedErrorId);
        Assert.Contains(TestEnvironment.SmtpUser, error.Exception.Message);
        Assert.Contains($"{TestEnvironment.SmtpHost}:{server.Port}", error.Exception.Message);
        Assert.Single(server.Find(marker)); // the good login's mail only
        var everything = string.Join("\n", run.Output.Select(o => o.ToString()).Concat(run.Verbose).Concat(run.Warnings)
            .Concat(run.Errors.Select(e => e.ToString() + e.Exception + e.ErrorDetails))
            .Concat(Directory.GetFiles(logs.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText)));
        Assert.Contains("Send-SyncNotification", everything); // the log has the runs
        Assert.DoesNotContain(wrong, everything);
        Assert.DoesNotContain(TestEnvironment.SmtpPassword, everything);
    }

    [Fact]
    public void NotifyMail_takes_the_security_the_login_and_the_thumbprint()
    {
        var server = SecureMailServer.ImplicitTls;
        server.Require();
        using var db = new BackupPostgreSqlDatabase(10);
        using var dir = new TempDirectory();
        var marker = Marker();
        using var rs = new ModuleRunspace();
        var vars = Vars(server, marker);
        vars["cs"] = db.ConnectionString();
        vars["dir"] = dir.Path;
        rs.Run("""
            $mail = @{ SmtpServer = $smtp; Port = $port; Security = 'SslOnConnect'; Credential = $cred; CertificateThumbprint = $thumb
                       From = 'backup@example.com'; To = 'dba@example.com'; SubjectPrefix = $marker; On = 'Always' }
            Connect-SyncSource -Provider PostgreSql -ConnectionString $cs | Invoke-DbBackup -Destination $dir -NotifyMail $mail
            """, vars).AssertNoErrors();
        var mail = Assert.Single(server.Find(marker));
        Assert.Contains("OK: 1", mail.Subject);
        Assert.Contains($"Database: {db.Name}", mail.Text);
    }
}
