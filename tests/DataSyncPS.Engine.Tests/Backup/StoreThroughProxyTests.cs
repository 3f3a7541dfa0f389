using System.Security.Cryptography;
using DataSyncPS.Emulators.S3;
using DataSyncPS.Engine.Storage;
using DataSyncPS.Tests;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>The S3 store against what S3 and R2 do that s3rver alone does not, through the emulators'
/// checking proxy: conditional writes (a backup is created, never replaced), and transient or lasting
/// failures under the store's retry policy (the SDK's, set to the module's attempts and timeouts).</summary>
public class StoreThroughProxyTests
{
    private static readonly Dictionary<string, string> Start = new() { ["backup-type"] = "test" };

    private static byte[] Random(int size, int seed)
    {
        var b = new byte[size];
        new System.Random(seed).NextBytes(b);
        return b;
    }

    private static StorageOptions Options(int attempts = 3, Action<string>? verbose = null) => new()
    {
        Credential = TestBucket.Options.Credential, PartSize = 1 << 20, Retry = TestBucket.QuickRetry(attempts), Verbose = verbose,
    };

    private static async Task<(TestBucket Bucket, SigV4Proxy Proxy)> StartAsync()
    {
        var bucket = await TestBucket.CreateAsync();
        return (bucket, await SigV4Proxy.StartAsync(new Uri(TestEnvironment.S3), TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey));
    }

    private static async Task WriteAsync(ObjectUpload upload, byte[] data)
    {
        for (var i = 0; i < data.Length; i += 100_000) await upload.WriteAsync(data.AsMemory(i, Math.Min(100_000, data.Length - i)));
    }

    [Theory]
    [InlineData(1000)]        // one PUT
    [InlineData(3_500_000)]   // multipart
    public async Task A_write_that_lost_the_race_for_its_name_fails_and_the_first_object_stays(int size)
    {
        var (bucket, proxy) = await StartAsync();
        await using var _ = bucket;
        await using var __ = proxy;
        using var storage = new S3Storage(bucket.Destination("", proxy.Endpoint), Options());
        var first = Random(size, 1);
        var second = Random(size, 2);
        // Both found the name free and started; the first completes.
        await using var a = await storage.OpenWriteAsync("p/20260101/x.dump", Start, null, CancellationToken.None);
        await using var b = await storage.OpenWriteAsync("p/20260101/x.dump", Start, null, CancellationToken.None);
        await WriteAsync(a, first);
        await WriteAsync(b, second);
        await a.CompleteAsync(new Dictionary<string, string> { ["sha256"] = "a" }, CancellationToken.None);

        var e = await Assert.ThrowsAsync<SyncException>(() => b.CompleteAsync(new Dictionary<string, string> { ["sha256"] = "b" }, CancellationToken.None));
        Assert.Equal(SyncErrorKind.StorageFailed, e.Kind);
        Assert.Contains("created by another backup", e.Message);
        Assert.Contains(proxy.Requests, r => r.Status == 412);
        Assert.Equal(first, await StoredBytes.ReadAsync(storage, "p/20260101/x.dump"));
        Assert.Equal("a", (await storage.DescribeAsync("p/20260101/x.dump", CancellationToken.None))!.Metadata["sha256"]);
    }

    [Fact]
    public async Task A_folder_write_that_lost_the_race_for_its_name_fails_and_the_first_file_stays()
    {
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path));
        await using var a = await storage.OpenWriteAsync("p/20260101/x.dump", Start, null, CancellationToken.None);
        await using var b = await storage.OpenWriteAsync("p/20260101/x.dump", Start, null, CancellationToken.None);
        await WriteAsync(a, Random(300_000, 1));
        await WriteAsync(b, Random(300_000, 2));
        await a.CompleteAsync(new Dictionary<string, string> { ["sha256"] = "a" }, CancellationToken.None);
        var e = await Assert.ThrowsAsync<SyncException>(() => b.CompleteAsync(new Dictionary<string, string> { ["sha256"] = "b" }, CancellationToken.None));
        Assert.Equal(SyncErrorKind.StorageFailed, e.Kind);
        Assert.Contains("created by another backup", e.Message);
        Assert.Equal(Random(300_000, 1), await StoredBytes.ReadAsync(storage, "p/20260101/x.dump"));
        Assert.Equal("a", (await storage.DescribeAsync("p/20260101/x.dump", CancellationToken.None))!.Metadata["sha256"]);
        Assert.Equal(2, Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Length); // the file and its metadata, no partial one
    }

    [Fact]
    public async Task A_store_that_does_not_implement_If_None_Match_gets_the_completion_again_without_it()
    {
        var (bucket, proxy) = await StartAsync();
        await using var _ = bucket;
        await using var __ = proxy;
        using var storage = new S3Storage(bucket.Destination("", proxy.Endpoint), Options());
        proxy.Fail((method, query) => method == "POST" && query.Contains("uploadId=", StringComparison.Ordinal), 501);
        var data = Random(2_500_000, 3);
        await using (var upload = await storage.OpenWriteAsync("p/y.dump", Start, null, CancellationToken.None))
        {
            await WriteAsync(upload, data);
            await upload.CompleteAsync(new Dictionary<string, string>(), CancellationToken.None);
        }
        Assert.Equal(data, await StoredBytes.ReadAsync(storage, "p/y.dump"));
        var completions = proxy.Requests.Where(r => r.Method == "POST" && r.Query.Contains("uploadId=", StringComparison.Ordinal)).ToList();
        Assert.Equal([501, 200], completions.Select(r => r.Status));
        Assert.True(completions[0].Headers.ContainsKey("if-none-match"));
        Assert.False(completions[1].Headers.ContainsKey("if-none-match"));
    }

    [Fact]
    public async Task A_transient_503_on_a_part_is_retried_and_the_object_is_whole()
    {
        var (bucket, proxy) = await StartAsync();
        await using var _ = bucket;
        await using var __ = proxy;
        using var storage = new S3Storage(bucket.Destination("", proxy.Endpoint), Options());
        proxy.Fail((method, query) => method == "PUT" && query.Contains("partNumber=2", StringComparison.Ordinal), 503);
        var data = Random(3_500_000, 4);
        await using (var upload = await storage.OpenWriteAsync("p/z.dump", Start, null, CancellationToken.None))
        {
            await WriteAsync(upload, data);
            await upload.CompleteAsync(new Dictionary<string, string> { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)) }, CancellationToken.None);
        }
        Assert.Equal(data, await StoredBytes.ReadAsync(storage, "p/z.dump"));
        Assert.Equal([503, 200], proxy.Requests.Where(r => r.Method == "PUT" && r.Query.Contains("partNumber=2", StringComparison.Ordinal)).Select(r => r.Status));
    }

    [Fact]
    public async Task A_retried_call_is_reported_with_the_call_its_failure_and_the_attempt_and_no_secret()
    {
        var (bucket, proxy) = await StartAsync();
        await using var _ = bucket;
        await using var __ = proxy;
        var reports = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var storage = new S3Storage(bucket.Destination("", proxy.Endpoint), Options(attempts: 3, verbose: reports.Enqueue));
        proxy.Fail((method, query) => method == "PUT" && query.Contains("partNumber=2", StringComparison.Ordinal), 503);
        var data = Random(2_500_000, 6);
        await using (var upload = await storage.OpenWriteAsync("p/r.dump", Start, null, CancellationToken.None))
        {
            await WriteAsync(upload, data);
            await upload.CompleteAsync(new Dictionary<string, string>(), CancellationToken.None);
        }
        var retry = Assert.Single(reports, r => r.Contains("retry", StringComparison.Ordinal));
        Assert.Matches($@"^S3 UploadPart 2 of {bucket.Name}/p/r\.dump: 503 SlowDown, retry 1 of 2 after \d+\.\d s$", retry);
        Assert.All(reports, r =>
        {
            Assert.DoesNotContain(TestEnvironment.S3SecretKey, r, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Signature", r, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("AWS4-HMAC", r, StringComparison.Ordinal);
            Assert.DoesNotContain("uploadId", r, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(data, await StoredBytes.ReadAsync(storage, "p/r.dump"));
    }

    [Fact]
    public async Task A_stream_that_outgrows_the_last_part_fails_as_it_needs_one_more_and_leaves_no_object()
    {
        var (bucket, proxy) = await StartAsync();
        await using var _ = bucket;
        await using var __ = proxy;
        // S3's 10,000 parts, brought down to 3 parts of 1 MB: the fourth megabyte has no part to go in.
        var options = new StorageOptions { Credential = TestBucket.Options.Credential, PartSize = 1 << 20, MaxParts = 3, Retry = TestBucket.QuickRetry(2) };
        using var storage = new S3Storage(bucket.Destination("", proxy.Endpoint), options);
        SyncException e;
        await using (var upload = await storage.OpenWriteAsync("p/big.dump", Start, null, CancellationToken.None))
        {
            e = await Assert.ThrowsAsync<SyncException>(() => WriteAsync(upload, Random(3_500_000, 7)));
            Assert.True(upload.BytesWritten <= 3 << 20, $"{upload.BytesWritten} bytes taken, more than 3 parts hold");
        }
        Assert.Equal(SyncErrorKind.StorageFailed, e.Kind);
        Assert.Contains("-PartSizeMB", e.Message);
        Assert.Contains("3 parts of 1 MB", e.Message);
        Assert.DoesNotContain(proxy.Requests, r => r.Method == "PUT" && r.Query.Contains("partNumber=4", StringComparison.Ordinal));
        Assert.Contains(proxy.Requests, r => r.Method == "DELETE" && r.Query.Contains("uploadId=", StringComparison.Ordinal)); // aborted
        Assert.DoesNotContain(proxy.Requests, r => r.Method == "POST" && r.Query.Contains("uploadId=", StringComparison.Ordinal)); // never completed
        Assert.Empty(await bucket.KeysAsync());
    }

    [Fact]
    public async Task A_store_that_keeps_failing_ends_the_upload_after_the_policy_s_attempts_and_leaves_no_object()
    {
        var (bucket, proxy) = await StartAsync();
        await using var _ = bucket;
        await using var __ = proxy;
        using var storage = new S3Storage(bucket.Destination("", proxy.Endpoint), Options(attempts: 3));
        proxy.Fail((method, query) => method == "PUT" && query.Contains("partNumber=2", StringComparison.Ordinal), 503, int.MaxValue);
        SyncException e;
        // As a backup does: the failure ends the writing, and the upload is disposed without completing.
        await using (var upload = await storage.OpenWriteAsync("p/w.dump", Start, null, CancellationToken.None))
        {
            e = await Assert.ThrowsAsync<SyncException>(async () =>
            {
                await WriteAsync(upload, Random(3_500_000, 5));
                await upload.CompleteAsync(new Dictionary<string, string>(), CancellationToken.None);
            });
        }
        Assert.Equal(SyncErrorKind.StorageFailed, e.Kind);
        Assert.Contains("after 3 attempts", e.Message);
        Assert.Contains("503", e.Message);
        Assert.Equal(3, proxy.Requests.Count(r => r.Method == "PUT" && r.Query.Contains("partNumber=2", StringComparison.Ordinal)));
        // The multipart upload was aborted (DELETE ?uploadId=; s3rver 3.7.1 answers it 405, S3 and R2 204), and nothing is in the bucket.
        Assert.Contains(proxy.Requests, r => r.Method == "DELETE" && r.Query.Contains("uploadId=", StringComparison.Ordinal));
        Assert.Empty(await bucket.KeysAsync());
    }

    [Fact]
    public async Task A_refusal_that_is_not_transient_is_not_retried()
    {
        var (bucket, proxy) = await StartAsync();
        await using var _ = bucket;
        await using var __ = proxy;
        using var storage = new S3Storage(bucket.Destination("", proxy.Endpoint), new StorageOptions
        {
            Credential = new StorageCredential(TestEnvironment.S3AccessKey, "wrong-secret"), Retry = TestBucket.QuickRetry(4),
        });
        var steps = await StorageProbe.RunAsync(storage, CancellationToken.None);
        Assert.Equal(SyncErrorKind.Unauthorized, Assert.Single(steps).ErrorKind);
        Assert.Single(proxy.Requests, r => r.Refusal == "SignatureDoesNotMatch");
    }
}
