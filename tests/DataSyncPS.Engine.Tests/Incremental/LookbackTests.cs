using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// -LookbackSeconds re-reads the window before the watermark, for rows committed late with an older
/// cursor. Rows inside the window may come again (the receiver dedupes them by key); rows outside it
/// never do, and no row is lost.
/// </summary>
public abstract class LookbackTests(TestDatabase db) : IncrementalTest(db)
{
    [Fact]
    public async Task A_late_row_inside_the_window_is_delivered_and_only_window_rows_repeat()
    {
        const string table = "it_lookback";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 40);
        var first = await ExportAsync(table, lookbackSeconds: 10);
        var watermarkCursor = (DateTime)Watermark.Parse((await WatermarkAsync(table))!).Cursor;
        Assert.Equal(TestDatabase.BaseTime.AddSeconds(40), watermarkCursor);

        // Late commits behind the watermark (one tied with the window's first value), then new rows.
        await Db.InsertRowsAsync(table, [(41, TestDatabase.BaseTime.AddSeconds(35)), (42, TestDatabase.BaseTime.AddSeconds(30)), (43, TestDatabase.BaseTime.AddSeconds(40))]);
        await Db.InsertRowsAsync(table, Enumerable.Range(44, 6).Select(id => (id, TestDatabase.BaseTime.AddSeconds(id))));
        var second = await ExportAsync(table, lookbackSeconds: 10, pageSize: 3);

        AssertExactlyOnce(Range(1, 40), Ids(first));
        var ids = Ids(second);
        Assert.Equal(ids.Count, ids.Distinct().Count()); // one run never repeats a row
        Assert.Subset(ids.ToHashSet(), Range(41, 49).ToHashSet());
        var repeated = ids.Intersect(Ids(first)).ToList();
        var windowStart = watermarkCursor.AddSeconds(-10);
        Assert.Equal(Range(30, 40), repeated.Order()); // exactly the rows with cursor in [watermark - 10 s, watermark]
        Assert.All(CursorsOf(second, repeated), c => Assert.InRange(c, windowStart, watermarkCursor));
        AssertExactlyOnce(Range(1, 49), (await OutboxIdsAsync(table)).Distinct()); // what a receiver keeps after dedupe by key
    }

    [Fact]
    public async Task A_run_with_no_changes_re_reads_only_the_window()
    {
        const string table = "it_lookback_quiet";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 30);
        await ExportAsync(table, lookbackSeconds: 5);

        var second = await ExportAsync(table, lookbackSeconds: 5);
        var third = await ExportAsync(table, lookbackSeconds: 5);

        Assert.Equal(Range(25, 30), Ids(second));
        Assert.Equal(Range(25, 30), Ids(third));
        AssertExactlyOnce(Range(1, 30), (await OutboxIdsAsync(table)).Distinct());
    }

    [Fact]
    public async Task A_cursor_that_is_not_a_time_gets_a_warning_and_no_re_read()
    {
        const string table = "it_lookback_version";
        await Db.RecreateAsync(table, "id integer NOT NULL PRIMARY KEY, version bigint NOT NULL");
        await Db.ExecuteAsync($"INSERT INTO {Db.Quote(table)} (id, version) VALUES (1, 10), (2, 20), (3, 30)");
        await ExportAsync(table, cursorColumn: "version", lookbackSeconds: 60);
        await Db.ExecuteAsync($"INSERT INTO {Db.Quote(table)} (id, version) VALUES (4, 40)");
        var observer = new RecordingObserver();

        var second = await ExportAsync(table, cursorColumn: "version", lookbackSeconds: 60, observer: observer);

        Assert.Equal([4L], Ids(second));
        Assert.Contains(observer.Warnings, w => w.Contains("LookbackSeconds"));
    }

    [Fact]
    public async Task A_date_cursor_has_a_window_too()
    {
        // A date column: the window reaches back over whole dates as a timestamp would.
        const string table = "it_lookback_date";
        await Db.RecreateAsync(table, "id integer NOT NULL PRIMARY KEY, sold_on date NOT NULL");
        await Db.ExecuteAsync($"INSERT INTO {Db.Quote(table)} (id, sold_on) VALUES (1, @p0), (2, @p1), (3, @p2)",
            new DateTime(2024, 7, 1), new DateTime(2024, 7, 2), new DateTime(2024, 7, 3));
        await ExportAsync(table, cursorColumn: "sold_on", lookbackSeconds: 86_400);
        await Db.ExecuteAsync($"INSERT INTO {Db.Quote(table)} (id, sold_on) VALUES (4, @p0)", new DateTime(2024, 7, 2));
        var observer = new RecordingObserver();

        var second = await ExportAsync(table, cursorColumn: "sold_on", lookbackSeconds: 86_400, observer: observer);

        Assert.Empty(observer.Warnings);
        Assert.Equal([2L, 4L, 3L], Ids(second)); // a day before 3 July: 2 July again, with its late row
    }

    private static IEnumerable<DateTime> CursorsOf(ExportRun run, IReadOnlyCollection<long> ids) =>
        BatchFiles.Rows(run.Batches).Where(r => ids.Contains(r.GetProperty("id").GetInt64()))
            .Select(r => DateTime.Parse(r.GetProperty("updated_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));
}

public sealed class LookbackPostgreSqlTests() : LookbackTests(TestDatabase.PostgreSql);

public sealed class LookbackMariaDbTests() : LookbackTests(TestDatabase.MariaDb);
