using System.Text;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// -MaxBatchBytes closes a batch before the row that would take it over the limit (UTF-8 JSONL bytes);
/// a single row larger than the limit fails the export with RowTooLarge, dropping the open batch and
/// leaving the watermark at the last batch that was complete.
/// </summary>
public abstract class MaxBatchBytesTests(TestDatabase db) : IncrementalTest(db)
{
    [Fact]
    public async Task Batches_close_at_the_byte_limit_and_every_row_is_exported_once()
    {
        const string table = "it_bytes";
        const long max = 1000;
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 60);
        // Multi-byte text: the limit counts UTF-8 bytes, not characters. Widths vary so batch edges move.
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET payload = @p0 WHERE id % 3 = 0", "ação ✓ " + new string('é', 40));

        var run = await ExportAsync(table, batchSize: 0, pageSize: 7, maxBatchBytes: max);

        AssertExactlyOnce(Range(1, 60), Ids(run));
        var batches = run.Batches.OrderBy(b => b.Sequence).ToList();
        Assert.True(batches.Count > 5);
        for (var i = 0; i < batches.Count; i++)
        {
            var lineBytes = BatchFiles.Lines(batches[i].Path).Select(l => Encoding.UTF8.GetByteCount(l) + 1).ToList();
            Assert.Equal(lineBytes.Sum(), batches[i].UncompressedBytes);
            Assert.True(batches[i].UncompressedBytes <= max, $"batch {i + 1} has {batches[i].UncompressedBytes} bytes");
            if (i + 1 < batches.Count)
            {
                var next = Encoding.UTF8.GetByteCount(BatchFiles.Lines(batches[i + 1].Path).First()) + 1;
                Assert.True(batches[i].UncompressedBytes + next > max, $"batch {i + 1} closed early: the next row fitted");
            }
        }
    }

    [Fact]
    public async Task A_row_larger_than_the_limit_fails_with_no_half_batch_and_the_watermark_at_the_last_whole_batch()
    {
        const string table = "it_bytes_too_large";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 8);
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET payload = @p0 WHERE id = 6", new string('x', 5000));

        var ex = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, batchSize: 3, pageSize: 4, maxBatchBytes: 2000));

        Assert.Equal(SyncErrorKind.RowTooLarge, ex.Kind);
        Assert.Contains(table, ex.Message);
        var outbox = await OutboxAsync(table);
        Assert.Equal([1L], outbox.Select(b => b.Sequence)); // rows 1-3; rows 4-5 were a half batch
        Assert.Equal([$"{table}-000001.jsonl.gz"], FilesInOutput("*.gz*"));
        Assert.Equal(Range(1, 3), Ids([outbox[0].Path]));
        Assert.Equal(outbox[0].Watermark, await WatermarkAsync(table));
        Assert.Equal(TestDatabase.BaseTime.AddSeconds(3), Watermark.Parse((await WatermarkAsync(table))!).Cursor);

        // The admin trims the row (its cursor unchanged): the next run carries on from row 4.
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET payload = 'trimmed' WHERE id = 6");
        await ExportAsync(table, batchSize: 3, pageSize: 4, maxBatchBytes: 2000);
        AssertExactlyOnce(Range(1, 8), await OutboxIdsAsync(table));
    }

    [Fact]
    public async Task A_first_row_larger_than_the_limit_writes_nothing_and_sets_no_watermark()
    {
        const string table = "it_bytes_first_too_large";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 3);
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET payload = @p0 WHERE id = 1", new string('x', 5000));

        var ex = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, batchSize: 0, maxBatchBytes: 1000));

        Assert.Equal(SyncErrorKind.RowTooLarge, ex.Kind);
        Assert.Empty(FilesInOutput("*.gz*"));
        Assert.Empty(await OutboxAsync(table));
        Assert.Null(await WatermarkAsync(table));
    }
}

public sealed class MaxBatchBytesPostgreSqlTests() : MaxBatchBytesTests(TestDatabase.PostgreSql);

public sealed class MaxBatchBytesMariaDbTests() : MaxBatchBytesTests(TestDatabase.MariaDb);
