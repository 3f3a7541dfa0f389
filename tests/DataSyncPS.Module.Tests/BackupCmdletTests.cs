using System.Management.Automation;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Invoke-DbBackup, Restore-DbBackup, Test-SyncStorage and Send-SyncNotification in a hosted
/// runspace, against real PostgreSQL, s3rver and maildev.</summary>
public class BackupCmdletTests
{
    private const string SecretCanary = "Canary-S3-Secret-8812";

    private static Dictionary<string, object?> Vars(BackupPostgreSqlDatabase db, BackupBucket? bucket = null, string? secret = null) => new()
    {
        ["cs"] = db.ConnectionString(),
        ["s3"] = TestEnvironment.S3,
        ["bucket"] = bucket?.Name,
        ["key"] = new PSCredential(TestEnvironment.S3AccessKey, new System.Net.NetworkCredential("", secret ?? TestEnvironment.S3SecretKey).SecurePassword),
    };

    [Fact]
    public void A_backup_to_S3_is_verified_and_restores_into_a_new_database()
    {
        using var db = new BackupPostgreSqlDatabase();
        using var bucket = new BackupBucket();
        using var rs = new ModuleRunspace();
        var target = db.NewTarget();
        var vars = Vars(db, bucket);
        vars["target"] = target;
        var run = rs.Run("""
            $src = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $b = $src | Invoke-DbBackup -Destination "s3://$bucket/nightly" -Endpoint $s3 -StorageCredential $key -Verify Structure
            $r = $b | Restore-DbBackup -Target $src -Database $target -CreateDatabase -Endpoint $s3 -StorageCredential $key -Confirm:$false
            $b; $r
            """, vars).AssertNoErrors();
        var backup = run.Output[0];
        Assert.Equal("Structure", backup.Properties["Verified"].Value.ToString());
        Assert.StartsWith($"s3://{bucket.Name}/nightly/", (string)backup.Properties["Destination"].Value);
        Assert.Contains((string)backup.Properties["Key"].Value, bucket.Keys());
        var restore = run.Output[1];
        Assert.Equal(2000L, Convert.ToInt64(restore.Properties["Rows"].Value));
        Assert.Equal(2000L, Convert.ToInt64(db.Scalar("SELECT COUNT(*) FROM vendas", target)));
        Assert.Equal(db.Scalar("SELECT md5(string_agg(v::text, '|' ORDER BY id)) FROM vendas v"), db.Scalar("SELECT md5(string_agg(v::text, '|' ORDER BY id)) FROM vendas v", target));
        Assert.Contains(run.Progress, p => p.StatusDescription?.Contains("MB/s") == true);
    }

    [Fact]
    public void WhatIf_backs_up_nothing()
    {
        using var db = new BackupPostgreSqlDatabase(10);
        using var bucket = new BackupBucket();
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = Vars(db, bucket);
        vars["dir"] = dir.Path;
        rs.Run("""
            $src = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $src | Invoke-DbBackup -Destination "s3://$bucket/x" -Endpoint $s3 -StorageCredential $key -WhatIf
            $src | Invoke-DbBackup -Destination $dir -WhatIf
            """, vars).AssertNoErrors();
        Assert.Empty(bucket.Keys());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void One_failed_database_is_a_non_terminating_error_and_the_others_are_backed_up()
    {
        using var db = new BackupPostgreSqlDatabase(10);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = Vars(db);
        vars["dir"] = dir.Path;
        vars["bad"] = db.ConnectionString(db.Name + "_missing");
        var run = rs.Run("""
            $ok = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $gone = Connect-SyncSource -Provider PostgreSql -ConnectionString $bad -SkipTest
            $gone, $ok | Invoke-DbBackup -Destination $dir
            """, vars);
        var error = Assert.Single(run.Errors);
        Assert.Equal("DatabaseNotFound,DataSyncPS.Cmdlets.InvokeDbBackupCommand", error.FullyQualifiedErrorId);
        Assert.Contains(db.Name + "_missing", error.ToString());
        Assert.Single(run.Output);
        Assert.True(File.Exists((string)run.Output[0].Properties["Destination"].Value));
    }

    [Fact]
    public void Database_wildcards_back_up_every_matching_database_of_the_server()
    {
        using var db = new BackupPostgreSqlDatabase(10);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = Vars(db);
        vars["dir"] = dir.Path;
        vars["pattern"] = db.Name + "*";
        var run = rs.Run("Connect-SyncSource -Provider PostgreSql -ConnectionString $cs | Invoke-DbBackup -Database $pattern -Destination $dir", vars).AssertNoErrors();
        Assert.Equal(db.Name, Assert.Single(run.Output).Properties["Database"].Value);
    }

    [Fact]
    public void The_storage_secret_never_shows_in_output_verbose_or_errors()
    {
        using var db = new BackupPostgreSqlDatabase(10);
        using var bucket = new BackupBucket();
        using var rs = new ModuleRunspace();
        // s3rver checks the access key, not the signature: a made-up secret goes through, so it can be looked for.
        var run = rs.Run("""
            $src = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $src | Invoke-DbBackup -Destination "s3://$bucket/p" -Endpoint $s3 -StorageCredential $key -Verify Checksum -Verbose | ForEach-Object { $_.psobject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" } }
            $src | Invoke-DbBackup -Destination "s3://no-such-bucket-h9/p" -Endpoint $s3 -StorageCredential $key
            Test-SyncStorage "s3://$bucket/p" -Endpoint $s3 -StorageCredential $key -Verbose | ForEach-Object { $_.psobject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" } }
            """, Vars(db, bucket, SecretCanary));
        var everything = string.Join("\n", run.Output.Select(o => o.ToString()).Concat(run.Verbose).Concat(run.Warnings)
            .Concat(run.Errors.Select(e => e.ToString() + e.Exception)));
        Assert.Contains("Checksum", everything);
        Assert.Contains("PathNotFound", string.Join(",", run.Errors.Select(e => e.FullyQualifiedErrorId)));
        Assert.DoesNotContain(SecretCanary, everything);
        Assert.DoesNotContain("datasync;", everything);
    }

    [Fact]
    public void Test_SyncStorage_reports_each_step_and_a_missing_bucket_as_an_error()
    {
        using var bucket = new BackupBucket();
        using var rs = new ModuleRunspace();
        var vars = new Dictionary<string, object?>
        {
            ["s3"] = TestEnvironment.S3, ["bucket"] = bucket.Name,
            ["key"] = new PSCredential(TestEnvironment.S3AccessKey, new System.Net.NetworkCredential("", TestEnvironment.S3SecretKey).SecurePassword),
        };
        var ok = rs.Run("""Test-SyncStorage "s3://$bucket/checks" -Endpoint $s3 -StorageCredential $key""", vars).AssertNoErrors();
        Assert.Equal(["Put", "Get", "Delete"], ok.Output.Select(o => o.Properties["Step"].Value.ToString()));
        Assert.All(ok.Output, o => Assert.True((bool)o.Properties["Succeeded"].Value));
        Assert.Empty(bucket.Keys());

        // Another scheme is the module's InvalidArgument, not PowerShell's provider error.
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.TestSyncStorageCommand",
            Assert.Single(rs.Run("Test-SyncStorage 'ftp://host/backups'").Errors).FullyQualifiedErrorId);

        var missing = rs.Run("""Test-SyncStorage "s3://h9-missing-bucket/checks" -Endpoint $s3 -StorageCredential $key""", vars);
        Assert.False((bool)Assert.Single(missing.Output).Properties["Succeeded"].Value);
        Assert.Equal("PathNotFound,DataSyncPS.Cmdlets.TestSyncStorageCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Send_SyncNotification_mails_backups_and_failures_with_server_time_zone_size_and_error()
    {
        MailCatcher.Require();
        using var db = new BackupPostgreSqlDatabase(10);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var marker = "[h9-" + Guid.NewGuid().ToString("N")[..8] + "]";
        var vars = Vars(db);
        vars["dir"] = dir.Path;
        vars["marker"] = marker;
        vars["smtp"] = TestEnvironment.SmtpHost;
        vars["port"] = TestEnvironment.SmtpPort;
        vars["bad"] = db.ConnectionString(db.Name + "_missing");
        rs.Run("""
            $ok = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $gone = Connect-SyncSource -Provider PostgreSql -ConnectionString $bad -SkipTest
            $results = $gone, $ok | Invoke-DbBackup -Destination $dir -ErrorVariable failed -ErrorAction SilentlyContinue
            $results | Send-SyncNotification -ErrorRecord $failed -SmtpServer $smtp -Port $port -Security None -From 'backup@example.com' -To 'ops@example.com', 'dba@example.com' -SubjectPrefix $marker
            """, vars).AssertNoErrors();
        var mail = Assert.Single(MailCatcher.Find(marker));
        Assert.Contains("FAILED: 1 of 2", mail.Subject);
        Assert.Equal(["ops@example.com", "dba@example.com"], mail.To);
        Assert.Contains(db.Name + "_missing", mail.Text);
        Assert.Contains("DatabaseNotFound", mail.Text);
        Assert.Contains($"Database: {db.Name}", mail.Text);
        Assert.Contains(TimeZoneInfo.Local.Id, mail.Text);
        Assert.Contains("Size: ", mail.Text);
        Assert.Contains("Destination: " + dir.Path, mail.Text);
    }

    [Fact]
    public void NotifyMail_sends_the_failure_of_a_run_whose_store_refuses_everything()
    {
        MailCatcher.Require();
        using var db = new BackupPostgreSqlDatabase(10);
        using var rs = new ModuleRunspace();
        var marker = "[h9-" + Guid.NewGuid().ToString("N")[..8] + "]";
        var vars = Vars(db);
        vars["mail"] = new System.Collections.Hashtable
        {
            ["SmtpServer"] = TestEnvironment.SmtpHost, ["Port"] = TestEnvironment.SmtpPort, ["Security"] = "None",
            ["From"] = "backup@example.com", ["To"] = "ops@example.com", ["SubjectPrefix"] = marker,
        };
        vars["wrong"] = new PSCredential("NOT-A-KEY", new System.Net.NetworkCredential("", "x").SecurePassword);
        var run = rs.Run("""
            Connect-SyncSource -Provider PostgreSql -ConnectionString $cs | Invoke-DbBackup -Destination "s3://h9-any/p" -Endpoint $s3 -StorageCredential $wrong -NotifyMail $mail
            """, vars);
        Assert.Equal("Unauthorized,DataSyncPS.Cmdlets.InvokeDbBackupCommand", Assert.Single(run.Errors).FullyQualifiedErrorId);
        var mail = Assert.Single(MailCatcher.Find(marker));
        Assert.Contains("FAILED", mail.Subject);
        Assert.Contains("Unauthorized", mail.Text);
    }

    [Fact]
    public async Task Send_SyncNotification_sends_backups_and_failures_to_Seq_as_events_with_the_key_in_a_header_only()
    {
        const string seqKey = "seq_Notify-Canary-5521-key";
        await using var seq = await DataSyncPS.Emulators.Seq.SeqReceiver.StartAsync(seqKey);
        using var db = new BackupPostgreSqlDatabase(10);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = Vars(db);
        vars["dir"] = dir.Path;
        vars["seq"] = seq.Url;
        vars["key"] = new System.Net.NetworkCredential("", seqKey).SecurePassword;
        vars["bad"] = db.ConnectionString(db.Name + "_missing");
        var run = rs.Run("""
            $ok = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $gone = Connect-SyncSource -Provider PostgreSql -ConnectionString $bad -SkipTest
            $results = $gone, $ok | Invoke-DbBackup -Destination $dir -ErrorVariable failed -ErrorAction SilentlyContinue
            $results | Send-SyncNotification -ErrorRecord $failed -SeqUrl $seq -SeqApiKey $key -Verbose
            """, vars).AssertNoErrors();

        var request = Assert.Single(seq.Requests);
        Assert.Equal(seqKey, request.ApiKey);
        Assert.Null(request.TransferEncoding);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(request.Body), request.ContentLength);
        var events = request.Lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, events.Count);
        var failure = Assert.Single(events, e => e.TryGetProperty("@l", out var l) && l.GetString() == "Error");
        Assert.Equal("DatabaseNotFound", failure.GetProperty("ErrorId").GetString());
        var backup = Assert.Single(events, e => !e.TryGetProperty("@l", out var l) || l.GetString() != "Error");
        Assert.Equal(db.Name, backup.GetProperty("Database").GetString());
        Assert.True(backup.TryGetProperty("SHA256", out _));
        Assert.DoesNotContain(seqKey, request.Body);
        Assert.DoesNotContain(run.Verbose, v => v.Contains(seqKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_Restore_reports_every_table_s_rows_in_the_result_and_verbose()
    {
        using var db = new BackupPostgreSqlDatabase(rows: 300, bigRows: 50);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = Vars(db);
        vars["dir"] = dir.Path;
        var run = rs.Run("""
            $src = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $b = $src | Invoke-DbBackup -Destination $dir -Verify Restore -RestoreTarget $src -Verbose
            $b
            """, vars).AssertNoErrors();
        var counts = (System.Collections.IDictionary)run.Output[0].Properties["RestoredRowCounts"].Value;
        Assert.Equal(300L, Convert.ToInt64(counts["public.vendas"]));
        Assert.Equal(50L, Convert.ToInt64(counts["public.big"]));
        Assert.Equal(2, counts.Count);
        Assert.Contains(run.Verbose, v => v.Contains($"Restore test of {db.Name}: 2 table(s), 350 row(s): public.big 50, public.vendas 300", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotifySeq_sends_each_backup_and_failure_as_an_event_with_its_fields_and_the_key_in_a_header_only()
    {
        const string seqKey = "seq_NotifySeq-Canary-4417-key";
        await using var seq = await DataSyncPS.Emulators.Seq.SeqReceiver.StartAsync(seqKey);
        using var db = new BackupPostgreSqlDatabase(10);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = Vars(db);
        vars["dir"] = dir.Path;
        vars["notify"] = new System.Collections.Hashtable { ["SeqUrl"] = seq.Url, ["SeqApiKey"] = new System.Net.NetworkCredential("", seqKey).SecurePassword };
        vars["onFailure"] = new System.Collections.Hashtable { ["SeqUrl"] = seq.Url, ["SeqApiKey"] = new System.Net.NetworkCredential("", seqKey).SecurePassword, ["On"] = "Failure" };
        vars["bad"] = db.ConnectionString(db.Name + "_missing");
        var run = rs.Run("""
            $ok = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $gone = Connect-SyncSource -Provider PostgreSql -ConnectionString $bad -SkipTest
            $gone, $ok | Invoke-DbBackup -Destination $dir -NotifySeq $notify -Verbose
            $ok | Invoke-DbBackup -Destination $dir -NotifySeq $onFailure
            """, vars);
        Assert.Equal("DatabaseNotFound", Assert.Single(run.Errors).FullyQualifiedErrorId.Split(',')[0]);
        var backups = run.Output.Select(o => o.BaseObject).ToList();
        Assert.Equal(2, backups.Count);

        var request = Assert.Single(seq.Requests); // the second run succeeded and On = 'Failure' sent nothing
        Assert.Equal(seqKey, request.ApiKey);
        Assert.Null(request.TransferEncoding);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(request.Body), request.ContentLength);
        Assert.DoesNotContain(seqKey, request.Body);
        Assert.DoesNotContain(run.Verbose, v => v.Contains(seqKey, StringComparison.Ordinal));
        var events = request.Lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("Invoke-DbBackup", e.GetProperty("Cmdlet").GetString());
            Assert.True(DateTimeOffset.TryParse(e.GetProperty("@t").GetString(), out _));
        });
        var failure = Assert.Single(events, e => e.GetProperty("@l").GetString() == "Error");
        Assert.Equal("DatabaseNotFound", failure.GetProperty("ErrorId").GetString());
        Assert.Contains(db.Name + "_missing", failure.GetProperty("@m").GetString());
        var backup = Assert.Single(events, e => e.GetProperty("@l").GetString() == "Information");
        var first = run.Output[0];
        Assert.Equal(db.Name, backup.GetProperty("Database").GetString());
        Assert.StartsWith("127.0.0.1", backup.GetProperty("Server").GetString());
        Assert.Equal((string)first.Properties["Destination"].Value, backup.GetProperty("Destination").GetString());
        Assert.Equal((string)first.Properties["Sha256"].Value, backup.GetProperty("SHA256").GetString());
        Assert.Equal(Convert.ToInt64(first.Properties["Bytes"].Value), backup.GetProperty("Bytes").GetInt64());
        Assert.True(backup.GetProperty("DurationMs").GetDouble() > 0);
        Assert.Equal("None", backup.GetProperty("Verified").GetString());
        Assert.Contains(TimeZoneInfo.Local.Id, backup.GetProperty("Started").GetString());
    }
}
