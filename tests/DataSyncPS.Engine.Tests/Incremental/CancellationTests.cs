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
        // 300 rows of about 10 KB: a batch of 100 goes to the compressor in 256 KB chunks before it
        // closes. Page 6 starts 50 rows into batch 2, whose temporary file is then open.
        await Db.InsertRowsAsync(table, 1, 300);
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET payload = {Repeat("'x'", 10_000)}");

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var observer = new StopWhileBatchIsWritten(6, () => FilesInOutput("*.tmp").Length > 0, cts);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ExportAsync(table, batchSize: 100, pageSize: 30, observer: observer, ct: cts.Token));
        Assert.True(observer.SawTemporaryFile, "the second batch's temporary file never appeared");
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

    /// <summary>Presses Ctrl+C as keyset page N is about to be read, once the first batch is committed and
    /// the next one's temporary file is open: the reader waits here, so the compressor catches up and
    /// holds a half-written batch.</summary>
    private sealed class StopWhileBatchIsWritten(int page, Func<bool> temporaryFileExists, CancellationTokenSource cts) : ISyncObserver
    {
        private int _pages;
        private volatile bool _committed;
        public bool SawTemporaryFile { get; private set; }
        public void Batch(SyncBatch batch) => _committed = true;
        public void Verbose(string message)
        {
            if (!message.StartsWith("SQL:", StringComparison.Ordinal) || ++_pages != page) return;
            SawTemporaryFile = SpinWait.SpinUntil(() => _committed && temporaryFileExists(), TimeSpan.FromSeconds(30));
            cts.Cancel();
        }
        public void Warning(string message) { }
        public void ItemError(SyncException error) { }
    }
}

public sealed class CancellationPostgreSqlTests() : CancellationTests(TestDatabase.PostgreSql);

public sealed class CancellationMariaDbTests() : CancellationTests(TestDatabase.MariaDb);
