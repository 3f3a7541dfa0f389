using DataSyncPS.Engine.Tables;
using DataSyncPS.Engine.Tests.Incremental;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Tables;

/// <summary>A batch converted a part at a time as its records arrive (what Write-SyncTable does) writes
/// what the same records written as one list would: superseded keys across parts, rejected records
/// numbered within the batch, and a part with a field the batch has no column for refused by Fits.</summary>
public partial class TableWriterTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_batch_added_in_parts_writes_what_one_list_would(string engine)
    {
        var db = Db(engine);
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_parts");
        await WriteAsync(source, "tw_parts", ["id"], Customers(1, 2));
        var parts = new List<List<TableRecord>>
        {
            Customers(3, 5),
            new() { Record(("id", 4L), ("name", "again")), Record(("id", "x7"), ("name", "bad key")) },
            Customers(6, 6, " six"),
        };
        var observer = new RecordingObserver();
        await using var writer = await TableWriter.OpenAsync(source, "tw_parts", ["id"], null, Ct);
        using var batch = writer.BeginBatch(parts[0]);
        foreach (var part in parts)
        {
            Assert.True(batch.Fits(part, writer.Columns));
            batch.Add(part, observer, Ct);
        }
        var result = await writer.WriteAsync(batch, Ct);

        Assert.Equal((6L, 4L, 1L, 1L), (result.Records, result.Inserted, result.Superseded, result.Rejected));
        var error = Assert.Single(observer.Errors);
        Assert.Equal(SyncErrorKind.RecordRejected, error.Kind);
        Assert.Contains("id=x7", error.Message);
        Assert.Equal("again", Assert.Single(await RowsAsync(db, "SELECT name FROM tw_parts WHERE id = 4"))[0]);
        Assert.Equal("cliente 6 six", Assert.Single(await RowsAsync(db, "SELECT name FROM tw_parts WHERE id = 6"))[0]);
        Assert.Equal(6L, Convert.ToInt64(Assert.Single(await RowsAsync(db, "SELECT COUNT(*) FROM tw_parts"))[0]));
    }

    [Fact]
    public async Task A_part_with_a_column_the_batch_left_out_does_not_fit_it()
    {
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_fits");
        await WriteAsync(source, "tw_fits", ["id"], Customers(1, 1));
        await using var writer = await TableWriter.OpenAsync(source, "tw_fits", ["id"], null, Ct);
        using var batch = writer.BeginBatch([Record(("id", 2L), ("name", "two"))]);

        Assert.True(batch.Fits([Record(("id", 3L), ("NAME", "three"))], writer.Columns)); // case as PowerShell matches names
        Assert.True(batch.Fits([Record(("id", 3L), ("unknown", 1))], writer.Columns)); // no column yet: the next plan adds it
        Assert.False(batch.Fits([Record(("id", 3L), ("price", 1m))], writer.Columns)); // a column this batch does not write
    }
}
