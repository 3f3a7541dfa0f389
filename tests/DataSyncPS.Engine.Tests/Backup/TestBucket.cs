using Amazon.S3;
using Amazon.S3.Model;
using DataSyncPS.Engine.Storage;
using DataSyncPS.Tests;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>A bucket of its own on s3rver for one test, deleted with everything in it afterwards.</summary>
public sealed class TestBucket : IAsyncDisposable
{
    public string Name { get; } = "h9-backup-" + Guid.NewGuid().ToString("N")[..12];
    public AmazonS3Client Client { get; }
    public Uri Endpoint { get; }

    private TestBucket(Uri endpoint)
    {
        Endpoint = endpoint;
        Client = S3ClientFactory.Create(BackupDestination.Parse($"s3://{Name}", endpoint.ToString()), Options);
    }

    public static StorageOptions Options => new()
    {
        Credential = new StorageCredential(TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey),
        Retry = QuickRetry(2),
    };

    /// <summary>The store's retry policy with this many attempts in all.</summary>
    public static DataSyncPS.Engine.Http.HttpPolicyOptions QuickRetry(int attempts) => StorageOptions.DefaultRetry(attempts);

    /// <summary>A bucket on s3rver (skip outside CI when s3rver is not running, fail under CI).</summary>
    public static async Task<TestBucket> CreateAsync(Uri? endpoint = null)
    {
        var bucket = new TestBucket(endpoint ?? new Uri(TestEnvironment.S3));
        try
        {
            await bucket.Client.PutBucketAsync(new PutBucketRequest { BucketName = bucket.Name });
        }
        catch (Exception e) when (e is not AmazonS3Exception)
        {
            TestEnvironment.ServerMissing("s3rver", e.GetBaseException().Message);
        }
        return bucket;
    }

    public BackupDestination Destination(string prefix = "", Uri? endpoint = null) =>
        BackupDestination.Parse($"s3://{Name}/{prefix}", (endpoint ?? Endpoint).ToString());

    public async Task<List<string>> KeysAsync()
    {
        var r = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Name });
        return (r.S3Objects ?? []).Select(o => o.Key).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var key in await KeysAsync()) await Client.DeleteObjectAsync(Name, key);
            await Client.DeleteBucketAsync(Name);
        }
        catch { }
        Client.Dispose();
    }
}
