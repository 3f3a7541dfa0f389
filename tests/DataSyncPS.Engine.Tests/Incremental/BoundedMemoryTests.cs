using System.Diagnostics;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>The memory tests measure the whole process, so they run alone.</summary>
[CollectionDefinition(nameof(BoundedMemoryCollection), DisableParallelization = true)]
public sealed class BoundedMemoryCollection;

/// <summary>
/// Contract 1 for incremental exports: rows stream from keyset pages to gzip without being collected,
/// so the live managed heap of a 300,000-row export peaks where a 100,000-row one does, far below the
/// size of the data (about 80 MB of JSONL). The live heap is sampled with a full collection every 50 ms:
/// without it the heap's peak is mostly garbage waiting for the next collection, whose size is GC policy.
/// Memory only, no timing.
/// </summary>
public abstract class BoundedMemoryTests(TestDatabase db) : IncrementalTest(db)
{
    private const long MB = 1024 * 1024;

    [Fact]
    public async Task Peak_managed_heap_stays_flat_from_100k_to_300k_rows()
    {
        await CreateAsync("it_memory_100k", 100_000);
        await CreateAsync("it_memory_300k", 300_000);

        var small = await MeasureAsync("it_memory_100k", 100_000);
        var large = await MeasureAsync("it_memory_300k", 300_000);

        TestContext.Current.TestOutputHelper?.WriteLine($"{Db}: 100k rows {small}; 300k rows {large}");
        Assert.True(large.PeakHeap < 100 * MB, $"300k rows peaked at {large.PeakHeap / MB} MB of managed heap");
        Assert.True(large.PeakLive < 32 * MB, $"300k rows kept {large.PeakLive / MB} MB alive");
        Assert.True(large.PeakLive < small.PeakLive + 16 * MB,
            $"live heap grew with rows: {small.PeakLive / MB} MB for 100k, {large.PeakLive / MB} MB for 300k");
        // Read back only after both measurements: checking 300k rows takes far more memory than exporting them.
        AssertExactlyOnce(Range(1, 100_000), await OutboxIdsAsync("it_memory_100k"));
        AssertExactlyOnce(Range(1, 300_000), await OutboxIdsAsync("it_memory_300k"));
        await Db.ExecuteAsync($"DROP TABLE {Db.Quote("it_memory_100k")}");
        await Db.ExecuteAsync($"DROP TABLE {Db.Quote("it_memory_300k")}");
    }

    private async Task CreateAsync(string table, int rows)
    {
        await Db.CreateRowsTableAsync(table);
        await Db.ExecuteAsync(Db.GenerateRowsSql(Db.Quote(table), rows, payloadChars: 200));
    }

    private async Task<Peak> MeasureAsync(string table, int rows)
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var sampler = new PeakSampler();
        var run = await ExportAsync(table, batchSize: 50_000, pageSize: 10_000);
        var peak = sampler.Stop(baseline);

        Assert.Equal(rows, run.Summary.Rows);
        Assert.Equal((rows + 49_999) / 50_000, run.Batches.Count);
        return peak;
    }

    /// <summary>Peaks above the baseline: managed heap with garbage (every 2 ms), live heap (every 50 ms),
    /// and the process's working set.</summary>
    private sealed record Peak(long PeakHeap, long PeakLive, long PeakWorkingSet, long StartWorkingSet)
    {
        public override string ToString() =>
            $"peak managed heap +{PeakHeap / (double)MB:F1} MB, peak live heap +{PeakLive / (double)MB:F1} MB, peak working set {PeakWorkingSet / (double)MB:F0} MB (from {StartWorkingSet / (double)MB:F0} MB)";
    }

    private sealed class PeakSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _heap;
        private long _live;
        private long _workingSet;
        private readonly long _startWorkingSet = Environment.WorkingSet;

        public PeakSampler()
        {
            _thread = new Thread(() =>
            {
                for (var i = 1; !_stop; i++)
                {
                    _heap = Math.Max(_heap, GC.GetTotalMemory(false));
                    if (i % 25 == 0) _live = Math.Max(_live, GC.GetTotalMemory(forceFullCollection: true));
                    _workingSet = Math.Max(_workingSet, Environment.WorkingSet);
                    Thread.Sleep(2);
                }
            }) { IsBackground = true, Name = "peak memory sampler" };
            _thread.Start();
        }

        public Peak Stop(long baseline)
        {
            _stop = true;
            _thread.Join();
            return new Peak(Math.Max(0, _heap - baseline), Math.Max(0, _live - baseline), _workingSet, _startWorkingSet);
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}

[Collection(nameof(BoundedMemoryCollection))]
public sealed class BoundedMemoryPostgreSqlTests() : BoundedMemoryTests(TestDatabase.PostgreSql);

[Collection(nameof(BoundedMemoryCollection))]
public sealed class BoundedMemoryMariaDbTests() : BoundedMemoryTests(TestDatabase.MariaDb);
