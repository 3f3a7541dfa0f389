using System.Diagnostics;
using System.Security.Cryptography;

namespace DataSyncPS.Engine.Storage;

/// <summary>A round trip through a destination — put a small object, read it back, delete it — so an
/// admin can check a bucket, its keys and endpoint before the first night. Each step is reported,
/// and a failed step ends the probe (later steps would only fail the same way).</summary>
public static class StorageProbe
{
    public static async Task<IReadOnlyList<StorageTestStep>> RunAsync(IBackupStorage storage, CancellationToken cancellationToken)
    {
        var destination = storage.Destination;
        var key = (destination.Prefix.Length == 0 ? "" : destination.Prefix + "/") + $".datasyncps-test-{Guid.NewGuid():N}.txt";
        var body = System.Text.Encoding.UTF8.GetBytes($"DataSyncPS storage test {DateTimeOffset.UtcNow:O}\n");
        var steps = new List<StorageTestStep>();
        var uri = destination.UriOf(key);

        async Task<bool> Step(string name, Func<Task<string>> action)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var message = await action().ConfigureAwait(false);
                steps.Add(new StorageTestStep(destination.ToString(), name, true, clock.Elapsed, message, uri, null));
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var error = StorageFailure.Translate(e, destination, name.ToLowerInvariant() + " of a test object");
                steps.Add(new StorageTestStep(destination.ToString(), name, false, clock.Elapsed, error.Message, uri, error.Kind));
                return false;
            }
        }

        var put = await Step("Put", async () =>
        {
            await using var upload = await storage.OpenWriteAsync(key, new Dictionary<string, string> { ["backup-type"] = "storage-test" }, body.Length, cancellationToken).ConfigureAwait(false);
            await upload.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            await upload.CompleteAsync(new Dictionary<string, string> { ["sha256"] = Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant() }, cancellationToken).ConfigureAwait(false);
            return $"{body.Length} bytes written";
        }).ConfigureAwait(false);
        if (!put) return steps;
        var get = await Step("Get", async () =>
        {
            await using var read = await storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            if (!copy.ToArray().AsSpan().SequenceEqual(body))
                throw new SyncException(SyncErrorKind.StorageFailed, $"{uri} came back different from what was written ({copy.Length} bytes, {body.Length} written).");
            return $"{copy.Length} bytes read back, identical";
        }).ConfigureAwait(false);
        await Step("Delete", async () =>
        {
            await storage.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            if (await storage.DescribeAsync(key, cancellationToken).ConfigureAwait(false) is not null)
                throw new SyncException(SyncErrorKind.StorageFailed, $"{uri} is still there after its deletion.");
            return "deleted";
        }).ConfigureAwait(false);
        _ = get;
        return steps;
    }
}
