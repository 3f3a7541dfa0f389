using System.Security.Cryptography;
using DataSyncPS.Engine.Storage;
using DataSyncPS.Tests;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>The backup stores: objects streamed in parts with bounded memory, metadata known at the
/// end, and nothing left behind by a failed or abandoned upload.</summary>
public class StorageTests
{
    private static readonly Dictionary<string, string> Start = new() { ["backup-type"] = "test", ["database"] = "vendas_são_paulo" };

    private static byte[] Random(int size)
    {
        var b = new byte[size];
        new System.Random(size).NextBytes(b);
        return b;
    }

    private static async Task<StoredObject> WriteAsync(IBackupStorage storage, string key, byte[] data, int chunk = 100_000)
    {
        await using var upload = await storage.OpenWriteAsync(key, Start, null, CancellationToken.None);
        for (var i = 0; i < data.Length; i += chunk)
            await upload.WriteAsync(data.AsMemory(i, Math.Min(chunk, data.Length - i)));
        return await upload.CompleteAsync(new Dictionary<string, string> { ["sha256"] = Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant() }, CancellationToken.None);
    }

    [Theory]
    [InlineData(1000)]            // one PUT
    [InlineData(3_500_000)]       // multipart: 1 MB parts, the last one short
    [InlineData(2 << 20)]         // exactly two parts
    public async Task An_object_comes_back_whole_with_its_metadata(int size)
    {
        await using var bucket = await TestBucket.CreateAsync();
        using var storage = new S3Storage(bucket.Destination("nightly"), new StorageOptions { Credential = TestBucket.Options.Credential, PartSize = 1 << 20 });
        var data = Random(size);
        await WriteAsync(storage, "nightly/20260101/x.dump", data);

        Assert.Equal(data, await StoredBytes.ReadAsync(storage, "nightly/20260101/x.dump"));
        var described = await storage.DescribeAsync("nightly/20260101/x.dump", CancellationToken.None);
        Assert.NotNull(described);
        Assert.Equal(size, described.Size);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant(), described.Metadata["sha256"]);
        Assert.Equal("vendas_são_paulo", described.Metadata["database"]);
        Assert.Equal("test", described.Metadata["backup-type"]);
        Assert.Contains("nightly/20260101/x.dump", await bucket.KeysAsync());
    }

    [Fact]
    public async Task An_aborted_multipart_upload_leaves_no_object()
    {
        await using var bucket = await TestBucket.CreateAsync();
        using var storage = new S3Storage(bucket.Destination(), new StorageOptions { Credential = TestBucket.Options.Credential, PartSize = 1 << 20 });
        await using (var upload = await storage.OpenWriteAsync("a/b.dump", Start, null, CancellationToken.None))
        {
            await upload.WriteAsync(Random(3_000_000));
            await upload.AbortAsync();
        }
        await using (var upload = await storage.OpenWriteAsync("a/c.dump", Start, null, CancellationToken.None))
            await upload.WriteAsync(Random(2_500_000)); // disposed without completing
        Assert.Empty(await bucket.KeysAsync());
    }

    [Fact]
    public async Task A_missing_bucket_is_PathNotFound_naming_it()
    {
        using var storage = new S3Storage(BackupDestination.Parse("s3://no-such-bucket-h9/x", TestEnvironment.S3), TestBucket.Options);
        var e = await Assert.ThrowsAsync<SyncException>(() => WriteAsync(storage, "x/y", Random(10)));
        if (e.Kind == SyncErrorKind.StorageFailed && e.Message.Contains("could not be reached")) TestEnvironment.ServerMissing("s3rver", e.Message);
        Assert.Equal(SyncErrorKind.PathNotFound, e.Kind);
        Assert.Contains("no-such-bucket-h9", e.Message);
    }

    [Fact]
    public async Task A_folder_gets_the_file_only_when_complete_and_never_replaces_one()
    {
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path));
        var data = Random(300_000);
        await using (var upload = await storage.OpenWriteAsync("p/20260101/a.dump", Start, null, CancellationToken.None))
        {
            await upload.WriteAsync(data);
            Assert.Empty(await ToListAsync(storage.ListAsync("", CancellationToken.None)));
        }
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));

        await WriteAsync(storage, "p/20260101/a.dump", data);
        Assert.Equal(data, await StoredBytes.ReadAsync(storage, "p/20260101/a.dump"));
        Assert.Equal("vendas_são_paulo", (await storage.DescribeAsync("p/20260101/a.dump", CancellationToken.None))!.Metadata["database"]);
        Assert.Equal(["p/20260101/a.dump"], (await ToListAsync(storage.ListAsync("p/", CancellationToken.None))).Select(o => o.Key));

        var again = await Assert.ThrowsAsync<SyncException>(() => WriteAsync(storage, "p/20260101/a.dump", Random(10)));
        Assert.Equal(SyncErrorKind.StorageFailed, again.Kind);
        Assert.Equal(data, await StoredBytes.ReadAsync(storage, "p/20260101/a.dump"));
        Assert.Equal(2, Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task The_probe_puts_gets_and_deletes()
    {
        await using var bucket = await TestBucket.CreateAsync();
        using var storage = new S3Storage(bucket.Destination("checks"), TestBucket.Options);
        var steps = await StorageProbe.RunAsync(storage, CancellationToken.None);
        Assert.Equal(["Put", "Get", "Delete"], steps.Select(s => s.Step));
        Assert.All(steps, s => Assert.True(s.Succeeded, s.Message));
        Assert.Empty(await bucket.KeysAsync());
    }

    [Fact]
    public async Task The_probe_reports_a_wrong_key_at_the_first_step()
    {
        await using var bucket = await TestBucket.CreateAsync();
        using var storage = new S3Storage(bucket.Destination(), new StorageOptions { Credential = new StorageCredential("NOT-A-KEY", "wrong-secret-7781"), Retry = TestBucket.QuickRetry(1) });
        var steps = await StorageProbe.RunAsync(storage, CancellationToken.None);
        var step = Assert.Single(steps);
        Assert.False(step.Succeeded);
        Assert.Equal(SyncErrorKind.Unauthorized, step.ErrorKind);
        Assert.DoesNotContain("wrong-secret-7781", step.Message);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var i in items) list.Add(i);
        return list;
    }
}
