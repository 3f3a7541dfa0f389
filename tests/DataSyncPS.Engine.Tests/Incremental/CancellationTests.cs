using System.Security.Cryptography;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// Contract 2 under Ctrl+C: an export stopped part-way keeps the batches it committed, leaves no
/// temporary file, has its watermark at the last committed batch, and the next run delivers exactly
/// the rest.
/// </summary>
public abstract class CancellationTests(TestDatabase db) : IncrementalTest(db)
{
    [Fact]
    public async Task Stopped_after_the_second_batch_then_rerun_delivers_every_row_once()
    {
        const string table = "it_cancel";
        await Db.CreateRowsTableAsync(table);
        // Ten rows per cursor value: the stop falls inside a group of ties.
        await Db.InsertRowsAsync(table, Enumerable.Range(1, 100).Select(id => (id, TestDatabase.BaseTime.AddSeconds(id / 10))));

        await StopAfterAsync(table, batches: 2, batchSize: 7, pageSize: 5);
        var outbox = await AssertConsistentAfterStopAsync(table);
        Assert.Equal(2, outbox.Count); // the stop is prompt: nothing is committed after it

        await ExportAsync(table, batchSize: 7, pageSize: 5);

        AssertExactlyOnce(Range(1, 100), await OutboxIdsAsync(table));
        Assert.Equal(Enumerable.Range(1, (await OutboxAsync(table)).Count).Select(i => (long)i), (await OutboxAsync(table)).Select(b => b.Sequence));
    }

    [Fact]
    public async Task Stopped_while_a_large_batch_is_half_written_leaves_no_temporary_file()
    {
        const string table = "it_cancel_large";
        await Db.CreateRowsTableAsync(table);
        // 300 rows of about 10 KB: a batch of 100 is sent to the compressor in several chunks before it
        // closes, so a temporary file is open when the stop comes.
        await Db.InsertRowsAsync(table, 1, 300);
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET payload = {Repeat("'x'", 10_000)}");

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var sawTemporaryFile = StopWhenTemporaryFileAppearsAsync(cts);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ExportAsync(table, batchSize: 100, pageSize: 30, ct: cts.Token));
        Assert.True(await sawTemporaryFile);
        var outbox = await AssertConsistentAfterStopAsync(table);
        Assert.Single(outbox);

        await ExportAsync(table, batchSize: 100, pageSize: 30);

        AssertExactlyOnce(Range(1, 300), await OutboxIdsAsync(table));
    }

    [Fact]
    public async Task Stopped_before_any_batch_closes_writes_nothing_and_moves_no_watermark()
    {
        const string table = "it_cancel_early";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 20);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ExportAsync(table, ct: cts.Token));

        Assert.Empty(FilesInOutput("*.gz*"));
        Assert.Null(await WatermarkAsync(table));
        await ExportAsync(table);
        AssertExactlyOnce(Range(1, 20), await OutboxIdsAsync(table));
    }

    private string Repeat(string literal, int count) =>
        Db.Kind == ProviderKind.PostgreSql ? $"repeat({literal}, {count})" : $"REPEAT({literal}, {count})";

    private async Task StopAfterAsync(string table, int batches, int batchSize, int pageSize)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var observer = new StopAfterBatches(batches, cts);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ExportAsync(table, batchSize, pageSize, observer: observer, ct: cts.Token));
        Assert.Equal(batches, observer.Count);
    }

    /// <summary>No temporary file; every batch file on disk is recorded, intact, and the watermark is the last one's.</summary>
    private async Task<IReadOnlyList<BatchRecord>> AssertConsistentAfterStopAsync(string table)
    {
        Assert.Empty(FilesInOutput("*.tmp"));
        var outbox = await OutboxAsync(table);
        Assert.Equal(outbox.Select(b => Path.GetFileName(b.Path)).Order(), FilesInOutput("*.jsonl.gz").Order());
        foreach (var b in outbox)
        {
            Assert.Equal(b.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(b.Path))));
            Assert.Equal(b.Rows, Ids([b.Path]).Count);
        }
        Assert.Equal(outbox[^1].Watermark, await WatermarkAsync(table));
        var ids = Ids(outbox.Select(b => b.Path));
        AssertExactlyOnce(ids.Distinct(), ids);
        Assert.Equal(Range(1, ids.Count), ids.Order()); // a prefix of the keyset order, no gap
        return outbox;
    }

    /// <summary>Presses Ctrl+C once the first batch is in place and the second is being written.</summary>
    private Task<bool> StopWhenTemporaryFileAppearsAsync(CancellationTokenSource cts) => Task.Run(async () =>
    {
        while (!cts.IsCancellationRequested)
        {
            if (FilesInOutput("*.jsonl.gz").Length > 0 && FilesInOutput("*.tmp").Length > 0)
            {
                cts.Cancel();
                return true;
            }
            await Task.Delay(1);
        }
        return false;
    });

    /// <summary>Presses Ctrl+C from inside the export, right after the Nth batch is committed.</summary>
    private sealed class StopAfterBatches(int after, CancellationTokenSource cts) : ISyncObserver
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public void Batch(SyncBatch batch) { if (Interlocked.Increment(ref _count) == after) cts.Cancel(); }
        public void Verbose(string message) { }
        public void Warning(string message) { }
        public void ItemError(SyncException error) { }
    }
}

public sealed class CancellationPostgreSqlTests() : CancellationTests(TestDatabase.PostgreSql);

public sealed class CancellationMariaDbTests() : CancellationTests(TestDatabase.MariaDb);
