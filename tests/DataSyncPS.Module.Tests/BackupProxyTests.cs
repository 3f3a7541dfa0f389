using System.Management.Automation;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DataSyncPS.Emulators.S3;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Backups to an R2-like store: s3rver behind the emulators' SigV4-checking proxy, which
/// verifies every signature and refuses what R2 refuses (flexible checksums, chunk-signed trailers).
/// The assertions are on the requests the proxy saw.</summary>
public class BackupProxyTests
{
    /// <summary>The checking proxy in front of s3rver, with s3rver's keys.</summary>
    private static Task<SigV4Proxy> StartProxyAsync() => SigV4Proxy.StartAsync(new Uri(TestEnvironment.S3), TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey);

    private static PSCredential Key(string? secret = null) =>
        new(TestEnvironment.S3AccessKey, new System.Net.NetworkCredential("", secret ?? TestEnvironment.S3SecretKey).SecurePassword);

    [Fact]
    public async Task A_multipart_backup_through_the_proxy_is_signed_path_style_with_no_checksum_headers_or_trailers()
    {
        using var db = new BackupPostgreSqlDatabase(rows: 100, bigRows: 200_000);
        using var bucket = new BackupBucket();
        await using var proxy = await StartProxyAsync();
        using var rs = new ModuleRunspace();
        var target = db.NewTarget();
        var run = rs.Run("""
            $src = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $b = $src | Invoke-DbBackup -Destination "r2://$bucket/nightly" -Endpoint $proxy -StorageCredential $key -PartSizeMB 5 -Verify Structure
            $b
            $b | Restore-DbBackup -Target $src -Database $target -CreateDatabase -StorageCredential $key -Confirm:$false
            """, new() { ["cs"] = db.ConnectionString(), ["bucket"] = bucket.Name, ["proxy"] = proxy.Endpoint.ToString(), ["key"] = Key(), ["target"] = target })
            .AssertNoErrors();
        var backup = run.Output[0];
        Assert.True(Convert.ToInt64(backup.Properties["Bytes"].Value) > 5 << 20, "the dump should take more than one part");
        Assert.StartsWith($"r2://{bucket.Name}/nightly/", (string)backup.Properties["Destination"].Value);
        Assert.Equal(200_000L, Convert.ToInt64(db.Scalar("SELECT COUNT(*) FROM big", target)));

        var seen = proxy.Requests.ToList();
        Assert.Contains(seen, r => r.Method == "PUT" && r.Query.Contains("partNumber=2", StringComparison.Ordinal));
        Assert.All(seen, r =>
        {
            Assert.Null(r.Refusal);
            Assert.True(r.Status is >= 200 and < 300 || (r.Method == "HEAD" && r.Status == 404) || (r.Method == "GET" && r.Status == 404), $"{r.Method} {r.Path}?{r.Query}: {r.Status}");
            Assert.StartsWith("/" + bucket.Name, r.Path);
            Assert.Equal(proxy.Endpoint.Authority, r.Host);
            Assert.DoesNotContain(r.Headers.Keys, h => h.StartsWith("x-amz-checksum-", StringComparison.Ordinal) || h == "x-amz-sdk-checksum-algorithm" || h == "x-amz-trailer");
            Assert.False(r.Headers.TryGetValue("x-amz-content-sha256", out var payload) && payload.StartsWith("STREAMING-", StringComparison.Ordinal), payload);
            Assert.Contains("/auto/s3/aws4_request", r.Headers["authorization"]);
            if (r.Method == "PUT") Assert.NotNull(r.ContentLength);
        });
        Assert.Contains(seen, r => r.Method == "POST" && r.Query.Contains("uploadId=", StringComparison.Ordinal)); // CompleteMultipartUpload
    }

    [Fact]
    public async Task The_proxy_refuses_what_R2_refuses_and_a_wrong_secret()
    {
        using var bucket = new BackupBucket();
        await using var proxy = await StartProxyAsync();

        // The AWS SDK's defaults (flexible checksums, chunk-signed trailers) against an R2-like store.
        using (var defaults = new AmazonS3Client(new BasicAWSCredentials(TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey),
                   new AmazonS3Config { ServiceURL = proxy.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "auto", MaxErrorRetry = 0 }))
        {
            var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => defaults.PutObjectAsync(new PutObjectRequest { BucketName = bucket.Name, Key = "k", ContentBody = "x" }));
            Assert.Equal(System.Net.HttpStatusCode.NotImplemented, e.StatusCode);
        }

        using var rs = new ModuleRunspace();
        var vars = new Dictionary<string, object?> { ["bucket"] = bucket.Name, ["proxy"] = proxy.Endpoint.ToString(), ["good"] = Key(), ["bad"] = Key("wrong-secret-3319") };
        rs.Run("""Test-SyncStorage "r2://$bucket/check" -Endpoint $proxy -StorageCredential $good""", vars).AssertNoErrors();
        var refused = rs.Run("""Test-SyncStorage "r2://$bucket/check" -Endpoint $proxy -StorageCredential $bad""", vars);
        Assert.Equal("Unauthorized,DataSyncPS.Cmdlets.TestSyncStorageCommand", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.Contains(proxy.Requests, r => r.Refusal == "SignatureDoesNotMatch");
        Assert.DoesNotContain("wrong-secret-3319", refused.Errors[0].ToString());
        Assert.Empty(bucket.Keys());
    }

    [Fact]
    public async Task A_transient_503_from_the_store_is_retried_and_the_backup_is_whole()
    {
        using var db = new BackupPostgreSqlDatabase(rows: 100, bigRows: 200_000);
        using var bucket = new BackupBucket();
        await using var proxy = await StartProxyAsync();
        proxy.Fail((method, query) => method == "PUT" && query.Contains("partNumber=2", StringComparison.Ordinal), 503);
        using var rs = new ModuleRunspace();
        var run = rs.Run("""
            Connect-SyncSource -Provider PostgreSql -ConnectionString $cs |
                Invoke-DbBackup -Destination "r2://$bucket/nightly" -Endpoint $proxy -StorageCredential $key -PartSizeMB 5 -Verify Structure -Verbose
            """, new() { ["cs"] = db.ConnectionString(), ["bucket"] = bucket.Name, ["proxy"] = proxy.Endpoint.ToString(), ["key"] = Key() }).AssertNoErrors();
        Assert.Equal("Structure", Assert.Single(run.Output).Properties["Verified"].Value.ToString());
        Assert.Equal([503, 200], proxy.Requests.Where(r => r.Method == "PUT" && r.Query.Contains("partNumber=2", StringComparison.Ordinal)).Select(r => r.Status));
        // The admin sees the retry: which call, what the store answered, which attempt, how long it waited.
        Assert.Single(run.Verbose, v => System.Text.RegularExpressions.Regex.IsMatch(v,
            $@"^S3 UploadPart 2 of {bucket.Name}/nightly/\d{{8}}/[^ ]+\.dump: 503 SlowDown, retry 1 of 5 after \d+\.\d s$"));
        Assert.Contains(run.Verbose, v => v.Contains("parts of 5 MB", StringComparison.Ordinal) && v.Contains("-PartSizeMB", StringComparison.Ordinal));
        AssertNoSecret(run.Verbose);
    }

    [Fact]
    public async Task Test_SyncStorage_and_Restore_DbBackup_show_their_retries_in_Verbose_with_no_secret()
    {
        using var db = new BackupPostgreSqlDatabase(rows: 100, bigRows: 1000);
        using var bucket = new BackupBucket();
        await using var proxy = await StartProxyAsync();
        using var rs = new ModuleRunspace();
        var vars = new Dictionary<string, object?>
        {
            ["cs"] = db.ConnectionString(), ["bucket"] = bucket.Name, ["proxy"] = proxy.Endpoint.ToString(), ["key"] = Key(), ["target"] = db.NewTarget(),
        };
        proxy.Fail((method, query) => method == "PUT", 503);
        var probe = rs.Run("""Test-SyncStorage "r2://$bucket/check" -Endpoint $proxy -StorageCredential $key -Verbose""", vars).AssertNoErrors();
        Assert.Single(probe.Verbose, v => System.Text.RegularExpressions.Regex.IsMatch(v,
            $@"^S3 PutObject of {bucket.Name}/check/\.datasyncps-test-[0-9a-f]+\.txt: 503 SlowDown, retry 1 of 5 after \d+\.\d s$"));
        AssertNoSecret(probe.Verbose);

        var backup = rs.Run("""Connect-SyncSource -Provider PostgreSql -ConnectionString $cs | Invoke-DbBackup -Destination "r2://$bucket/nightly" -Endpoint $proxy -StorageCredential $key""", vars)
            .AssertNoErrors().Output.Single();
        vars["b"] = backup;
        proxy.Fail((method, query) => method == "GET" && !query.Contains("list-type", StringComparison.Ordinal), 503);
        var restore = rs.Run("""$b | Restore-DbBackup -Target (Connect-SyncSource -Provider PostgreSql -ConnectionString $cs) -Database $target -CreateDatabase -StorageCredential $key -Endpoint $proxy -Confirm:$false -Verbose""", vars)
            .AssertNoErrors();
        Assert.Single(restore.Verbose, v => System.Text.RegularExpressions.Regex.IsMatch(v, $@"^S3 GetObject of {bucket.Name}/nightly/[^ ]+: 503 SlowDown, retry 1 of 5 after \d+\.\d s$"));
        AssertNoSecret(restore.Verbose);
    }

    private static void AssertNoSecret(IEnumerable<string> lines) => Assert.All(lines, v =>
    {
        Assert.DoesNotContain(TestEnvironment.S3SecretKey, v, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Signature", v, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AWS4-HMAC", v, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Amz-", v, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("uploadId", v, StringComparison.OrdinalIgnoreCase);
    });

    [Fact]
    public async Task A_store_that_keeps_failing_ends_the_backup_naming_the_attempts_and_leaves_no_object()
    {
        using var db = new BackupPostgreSqlDatabase(rows: 100, bigRows: 200_000);
        using var bucket = new BackupBucket();
        await using var proxy = await StartProxyAsync();
        proxy.Fail((method, query) => method == "PUT" && query.Contains("partNumber=2", StringComparison.Ordinal), 503, int.MaxValue);
        using var rs = new ModuleRunspace();
        var run = rs.Run("""
            Connect-SyncSource -Provider PostgreSql -ConnectionString $cs |
                Invoke-DbBackup -Destination "r2://$bucket/nightly" -Endpoint $proxy -StorageCredential $key -PartSizeMB 5 -MaxAttempts 2
            """, new() { ["cs"] = db.ConnectionString(), ["bucket"] = bucket.Name, ["proxy"] = proxy.Endpoint.ToString(), ["key"] = Key() });
        var error = Assert.Single(run.Errors);
        Assert.Equal("StorageFailed,DataSyncPS.Cmdlets.InvokeDbBackupCommand", error.FullyQualifiedErrorId);
        Assert.Contains("after 2 attempts", error.Exception.Message);
        Assert.Empty(run.Output);
        Assert.Equal(2, proxy.Requests.Count(r => r.Method == "PUT" && r.Query.Contains("partNumber=2", StringComparison.Ordinal)));
        Assert.Contains(proxy.Requests, r => r.Method == "DELETE" && r.Query.Contains("uploadId=", StringComparison.Ordinal)); // the multipart upload aborted
        Assert.Empty(bucket.Keys());
    }
}
