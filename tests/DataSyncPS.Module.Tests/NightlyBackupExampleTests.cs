using System.Management.Automation;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>examples/nightly-backup.ps1 as a scheduler runs it, against the test servers, s3rver (as
/// the S3-compatible store) and maildev: the databases are backed up and verified, and a failure is
/// mailed and exits 1.</summary>
public class NightlyBackupExampleTests
{
    private static readonly string Script = RepositoryFiles.PathOf("examples/nightly-backup.ps1");

    [Fact]
    public void The_nightly_script_backs_up_verifies_and_mails_a_failure()
    {
        MailCatcher.Require();
        using var db = new BackupPostgreSqlDatabase(10);
        using var bucket = new BackupBucket();
        using var rs = new ModuleRunspace();
        var marker = Guid.NewGuid().ToString("N")[..8];
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(TestEnvironment.PostgreSql);
        var (myUser, myPassword, _) = ModuleServers.MariaDbLogin;
        var vars = new Dictionary<string, object?>
        {
            ["script"] = Script, ["bucket"] = bucket.Name, ["s3"] = TestEnvironment.S3, ["prefix"] = "nightly-" + marker,
            ["db"] = db.Name + "*", ["smtp"] = TestEnvironment.SmtpHost, ["port"] = TestEnvironment.SmtpPort,
            ["pg"] = new PSCredential(pg.Username!, new System.Net.NetworkCredential("", pg.Password).SecurePassword),
            // A wrong MariaDB password: that server fails, the PostgreSQL one is backed up all the same.
            ["my"] = new PSCredential(myUser, new System.Net.NetworkCredential("", myPassword + "-wrong").SecurePassword),
            ["key"] = new PSCredential(TestEnvironment.S3AccessKey, new System.Net.NetworkCredential("", TestEnvironment.S3SecretKey).SecurePassword),
        };
        var run = rs.Run("""
            & $script -PostgreSqlCredential $pg -MariaDbCredential $my -Database $db -Endpoint $s3 -Bucket $bucket -Prefix $prefix `
                -StorageCredential $key -SmtpServer $smtp -SmtpPort $port -SmtpSecurity None -MailTo ops@example.com
            "exit=$LASTEXITCODE"
            """, vars);
        var text = string.Join("\n", run.Output.Select(o => o.ToString()));
        Assert.Contains($"{db.Name}: ", text);
        Assert.Contains("verified Structure", text);
        Assert.Contains("exit=1", text);
        Assert.Contains(bucket.Keys(), k => k.StartsWith($"nightly-{marker}/", StringComparison.Ordinal) && k.EndsWith(".dump", StringComparison.Ordinal));
        var mail = Assert.Single(MailCatcher.Find("[nightly backup]"), m => m.Text.Contains(db.Name, StringComparison.Ordinal));
        Assert.Contains("FAILED", mail.Subject);
        Assert.Contains("AuthenticationFailed", mail.Text);
    }
}
