namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// Contract 2: the keyset is (cursor, key), so rows sharing a cursor value are neither skipped nor
/// repeated where a page or a batch ends in the middle of them.
/// </summary>
public abstract class TiesAtEdgesTests(TestDatabase db) : IncrementalTest(db)
{
    [Theory]
    [InlineData(7, 5)]
    [InlineData(5, 7)]
    [InlineData(3, 3)]
    [InlineData(1, 1)]
    [InlineData(50, 50)]
    [InlineData(100, 2)]
    public async Task Fifty_rows_with_one_cursor_value_are_each_exported_once(int batchSize, int pageSize)
    {
        var table = $"it_ties_{batchSize}_{pageSize}";
        await Db.CreateRowsTableAsync(table);
        var tie = TestDatabase.BaseTime.AddMinutes(5);
        // Ids out of insertion order, so the key (not the heap order) is what breaks the tie.
        await Db.InsertRowsAsync(table, Enumerable.Range(1, 50).Select(i => ((i * 37) % 101, tie)));

        var run = await ExportAsync(table, batchSize, pageSize);

        var expected = Enumerable.Range(1, 50).Select(i => (long)((i * 37) % 101)).ToList();
        AssertExactlyOnce(expected, Ids(run));
        Assert.Equal(expected.Order(), Ids(run)); // keyset order: ties by key
        Assert.Equal(50, run.Summary.Rows);
        Assert.Equal((50 + batchSize - 1) / batchSize, run.Batches.Count);
        AssertExactlyOnce(expected, await OutboxIdsAsync(table));
    }

    [Fact]
    public async Task Groups_of_ties_between_distinct_values_are_each_exported_once()
    {
        const string table = "it_ties_groups";
        await Db.CreateRowsTableAsync(table);
        // 3 rows, 50 ties, 1 row, 13 ties, 4 rows: edges fall inside and at the ends of every group.
        var sizes = new[] { 1, 1, 1, 50, 1, 13, 1, 1, 1, 1 };
        var rows = new List<(int, DateTime)>();
        var id = 1000;
        for (var g = 0; g < sizes.Length; g++)
            for (var n = 0; n < sizes[g]; n++)
                rows.Add((id -= 7, TestDatabase.BaseTime.AddSeconds(g)));
        await Db.InsertRowsAsync(table, rows);

        var run = await ExportAsync(table, batchSize: 3, pageSize: 5);

        AssertExactlyOnce(rows.Select(r => (long)r.Item1), Ids(run));
        AssertExactlyOnce(rows.Select(r => (long)r.Item1), await OutboxIdsAsync(table));
    }

    [Fact]
    public async Task Cursor_values_one_microsecond_apart_survive_the_watermark_round_trip()
    {
        const string table = "it_ties_microseconds";
        await Db.CreateRowsTableAsync(table);
        // Pairs of ties one microsecond apart: a watermark rounded to milliseconds would skip or repeat rows.
        var start = TestDatabase.BaseTime.AddTicks(9_999_990); // .999999 s, so a carry into the second is involved
        await Db.InsertRowsAsync(table, Enumerable.Range(1, 30).Select(id => (id, start.AddTicks(id / 2 * 10))));

        var first = await ExportAsync(table, batchSize: 4, pageSize: 3);
        await Db.InsertRowsAsync(table, [(31, start.AddTicks(15 * 10)), (32, start.AddTicks(15 * 10 + 10))]);
        var second = await ExportAsync(table, batchSize: 4, pageSize: 3);

        AssertExactlyOnce(Range(1, 30), Ids(first));
        AssertExactlyOnce([31L, 32L], Ids(second));
    }

    [Fact]
    public async Task Rows_added_later_with_the_same_cursor_value_and_a_higher_key_are_exported_by_the_next_run()
    {
        const string table = "it_ties_later";
        await Db.CreateRowsTableAsync(table);
        var tie = TestDatabase.BaseTime.AddHours(1);
        await Db.InsertRowsAsync(table, Enumerable.Range(1, 20).Select(i => (i, tie)));
        var first = await ExportAsync(table, batchSize: 7, pageSize: 5);

        await Db.InsertRowsAsync(table, Enumerable.Range(21, 9).Select(i => (i, tie)));
        var second = await ExportAsync(table, batchSize: 7, pageSize: 5);

        AssertExactlyOnce(Range(1, 20), Ids(first));
        AssertExactlyOnce(Range(21, 29), Ids(second));
        AssertExactlyOnce(Range(1, 29), await OutboxIdsAsync(table));
    }
}

public sealed class TiesAtEdgesPostgreSqlTests() : TiesAtEdgesTests(TestDatabase.PostgreSql);

public sealed class TiesAtEdgesMariaDbTests() : TiesAtEdgesTests(TestDatabase.MariaDb);
