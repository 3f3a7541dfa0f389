using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// The key that breaks cursor ties: every column of a composite primary key, or -KeyColumn where the
/// table has none; without either the export refuses before touching anything.
/// </summary>
public abstract class KeyColumnTests(TestDatabase db) : IncrementalTest(db)
{
    [Fact]
    public async Task A_composite_primary_key_breaks_ties_with_both_columns()
    {
        const string table = "it_key_composite";
        await Db.RecreateAsync(table, $"tenant integer NOT NULL, id integer NOT NULL, updated_at {Db.TimestampType} NOT NULL, payload text, PRIMARY KEY (tenant, id)");
        // Ids repeat in every tenant and all rows share two cursor values: only (tenant, id) tells rows apart.
        var rows = from tenant in Enumerable.Range(1, 3) from id in Enumerable.Range(1, 17) select (tenant, id);
        await InsertAsync(table, ["tenant", "id"], rows.Select(r => new object[] { r.tenant, r.id, TestDatabase.BaseTime.AddSeconds(r.id % 2) }));

        var run = await ExportAsync(table, batchSize: 7, pageSize: 5);

        var expected = rows.Select(r => $"{r.tenant}/{r.id}").ToList();
        AssertExactlyOnce(expected, Pairs(run, "tenant", "id"));
        var watermark = Watermark.Parse((await WatermarkAsync(table))!);
        Assert.Equal(3, watermark.Values.Count); // (updated_at, tenant, id)
    }

    [Fact]
    public async Task KeyColumn_identifies_rows_of_a_table_without_primary_key()
    {
        const string table = "it_key_nopk";
        await Db.RecreateAsync(table, $"code varchar(20) NOT NULL, part integer NOT NULL, updated_at {Db.TimestampType} NOT NULL, payload text");
        var rows = from code in new[] { "b", "a", "c" } from part in Enumerable.Range(1, 11) select (code, part);
        await InsertAsync(table, ["code", "part"], rows.Select(r => new object[] { r.code, r.part, TestDatabase.BaseTime }));

        var first = await ExportAsync(table, batchSize: 4, pageSize: 5, keyColumns: ["code", "part"]);
        await InsertAsync(table, ["code", "part"], [["c", 12, TestDatabase.BaseTime], ["d", 1, TestDatabase.BaseTime]]);
        var second = await ExportAsync(table, batchSize: 4, pageSize: 5, keyColumns: ["code", "part"]);

        AssertExactlyOnce(rows.Select(r => $"{r.code}/{r.part}"), Pairs(first, "code", "part"));
        AssertExactlyOnce(["c/12", "d/1"], Pairs(second, "code", "part"));
    }

    [Fact]
    public async Task A_table_without_primary_key_and_no_KeyColumn_is_refused_with_nothing_touched()
    {
        const string table = "it_key_refused";
        await Db.RecreateAsync(table, $"code varchar(20) NOT NULL, updated_at {Db.TimestampType} NOT NULL");
        await InsertAsync(table, ["code"], [["a", TestDatabase.BaseTime], ["b", TestDatabase.BaseTime]]);
        await ExportAsync(table, keyColumns: ["code"]);
        await InsertAsync(table, ["code"], [["c", TestDatabase.BaseTime.AddDays(1)]]);
        var before = await SnapshotAsync(table);

        var ex = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table));

        Assert.Equal(SyncErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains(table, ex.Message);
        Assert.Contains("KeyColumn", ex.Message);
        Assert.Equal(before, await SnapshotAsync(table));
    }

    /// <summary>Files, watermark, batch records and run history: what a refused export must leave as it was.</summary>
    private async Task<string> SnapshotAsync(string stream)
    {
        var key = await StreamKeyAsync(stream);
        using var state = new StateStore(StatePath);
        var files = FilesInOutput().Order().Select(f => f + ":" + new FileInfo(Path.Combine(OutputDirectory, f)).Length);
        var batches = state.Batches(key).Select(b => $"{b.Sequence}:{b.Sha256}:{b.Watermark}");
        var runs = state.Runs(key).Select(r => $"{r.Id}:{r.Status}");
        return string.Join("\n", [.. files, state.GetWatermark(key), .. batches, .. runs]);
    }

    private Task InsertAsync(string table, string[] keyColumns, IEnumerable<object[]> rows)
    {
        var list = rows.ToList();
        var width = keyColumns.Length + 1;
        var values = string.Join(", ", list.Select((_, i) => "(" + string.Join(", ", Enumerable.Range(i * width, width).Select(p => "@p" + p)) + ")"));
        return Db.ExecuteAsync($"INSERT INTO {Db.Quote(table)} ({string.Join(", ", keyColumns)}, updated_at) VALUES {values}",
            list.SelectMany(r => r).ToArray());
    }

    private static List<string> Pairs(ExportRun run, string a, string b) =>
        BatchFiles.Rows(run.Batches).Select(r => $"{r.GetProperty(a)}/{r.GetProperty(b)}").ToList();
}

public sealed class KeyColumnPostgreSqlTests() : KeyColumnTests(TestDatabase.PostgreSql);

public sealed class KeyColumnMariaDbTests() : KeyColumnTests(TestDatabase.MariaDb);
