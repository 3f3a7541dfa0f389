using System.Security.Cryptography;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// StateStore.ResetStream forgets the position, not the outbox: the next run exports everything again
/// under new sequence numbers, so no batch already written (and perhaps not yet sent) is overwritten.
/// </summary>
public abstract class ResetTests(TestDatabase db) : IncrementalTest(db)
{
    [Fact]
    public async Task After_a_reset_the_next_run_exports_every_row_again_under_new_sequences()
    {
        const string table = "it_reset";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 12);
        var first = await ExportAsync(table, batchSize: 5);
        var watermark = await WatermarkAsync(table);
        var hashes = first.Batches.ToDictionary(b => b.Path, b => b.Sha256);

        bool reset;
        using (var state = new StateStore(StatePath)) reset = state.ResetStream(await StreamKeyAsync(table));
        Assert.True(reset);
        Assert.Null(await WatermarkAsync(table));

        var second = await ExportAsync(table, batchSize: 5);

        AssertExactlyOnce(Range(1, 12), Ids(second));
        Assert.Equal([1, 2, 3], first.Batches.Select(b => b.Sequence));
        Assert.Equal([4, 5, 6], second.Batches.Select(b => b.Sequence));
        Assert.Empty(second.Batches.Select(b => b.Path).Intersect(hashes.Keys));
        Assert.All(hashes, kv => Assert.Equal(kv.Value, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(kv.Key)))));
        Assert.Equal(watermark, await WatermarkAsync(table));
        Assert.Equal(6, (await OutboxAsync(table)).Count);
    }

    [Fact]
    public async Task Resetting_an_unknown_stream_changes_nothing()
    {
        const string table = "it_reset_unknown";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 3);
        await ExportAsync(table);
        var watermark = await WatermarkAsync(table);

        using (var state = new StateStore(StatePath))
            Assert.False(state.ResetStream(await StreamKeyAsync("it_no_such_stream")));

        Assert.Equal(watermark, await WatermarkAsync(table));
    }
}

public sealed class ResetPostgreSqlTests() : ResetTests(TestDatabase.PostgreSql);

public sealed class ResetMariaDbTests() : ResetTests(TestDatabase.MariaDb);
