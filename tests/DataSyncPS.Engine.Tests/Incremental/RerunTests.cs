using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// Contract 2 across runs: each run continues after the previous one's watermark, so it carries exactly
/// the rows inserted or updated since, and a run with nothing new writes nothing.
/// </summary>
public abstract class RerunTests(TestDatabase db) : IncrementalTest(db)
{
    [Fact]
    public async Task The_second_run_has_exactly_the_new_and_updated_rows_and_a_third_writes_nothing()
    {
        const string table = "it_rerun";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 30);
        var first = await ExportAsync(table);

        await Db.InsertRowsAsync(table, 31, 40);
        var later = TestDatabase.BaseTime.AddHours(1);
        // One updated row ties with another, both after every new row: the tie spans a page edge.
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET updated_at = @p0, payload = 'updated' WHERE id IN (3, 17, 30)", later);
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET updated_at = @p0, payload = 'updated' WHERE id = 1", later.AddSeconds(1));
        var second = await ExportAsync(table);

        var watermark = await WatermarkAsync(table);
        var filesAfterSecond = FilesInOutput();
        var third = await ExportAsync(table);

        AssertExactlyOnce(Range(1, 30), Ids(first));
        AssertExactlyOnce([.. Range(31, 40), 3, 17, 30, 1], Ids(second));
        Assert.Equal([.. Range(31, 40), 3, 17, 30, 1], Ids(second)); // keyset order
        Assert.All(BatchFiles.Rows(second.Batches).Where(r => r.GetProperty("id").GetInt64() is 1 or 3 or 17 or 30),
            r => Assert.Equal("updated", r.GetProperty("payload").GetString()));
        Assert.Empty(third.Batches);
        Assert.Equal(0, third.Summary.Rows);
        Assert.Equal(filesAfterSecond, FilesInOutput());
        Assert.Equal(watermark, await WatermarkAsync(table));
        Assert.Equal(first.Batches.Count + second.Batches.Count, (await OutboxAsync(table)).Count);
    }

    [Fact]
    public async Task Sequences_continue_across_runs_and_no_batch_file_is_overwritten()
    {
        const string table = "it_rerun_sequence";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 10);
        var first = await ExportAsync(table, batchSize: 4);
        var firstHashes = first.Batches.ToDictionary(b => b.Path, b => b.Sha256);

        await Db.InsertRowsAsync(table, 11, 15);
        var second = await ExportAsync(table, batchSize: 4);

        Assert.Equal([1, 2, 3], first.Batches.Select(b => b.Sequence));
        Assert.Equal([4, 5], second.Batches.Select(b => b.Sequence));
        Assert.All(firstHashes, kv => Assert.Equal(kv.Value, Sha256Of(kv.Key)));
        AssertExactlyOnce(Range(1, 15), await OutboxIdsAsync(table));
    }

    private static string Sha256Of(string path) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}

public sealed class RerunPostgreSqlTests() : RerunTests(TestDatabase.PostgreSql);

public sealed class RerunMariaDbTests() : RerunTests(TestDatabase.MariaDb);
