namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// The watermark keeps the cursor's type and exact value between runs (a stored instant, a bigint
/// version, a decimal beyond double precision), so binding it back neither skips nor repeats a row.
/// </summary>
public abstract class CursorTypeTests(TestDatabase db) : IncrementalTest(db)
{
    public enum Cursor { Instant, BigInt, Decimal }

    [Theory]
    [InlineData(Cursor.Instant)]
    [InlineData(Cursor.BigInt)]
    [InlineData(Cursor.Decimal)]
    public async Task Each_cursor_type_resumes_exactly_after_its_watermark(Cursor type)
    {
        var table = $"it_cursor_{type.ToString().ToLowerInvariant()}";
        var sqlType = type switch { Cursor.Instant => Db.InstantType, Cursor.BigInt => "bigint", _ => "numeric(20,6)" };
        await Db.RecreateAsync(table, $"id integer NOT NULL PRIMARY KEY, c {sqlType} NOT NULL");
        // Three rows per cursor value, values one unit of the type's precision apart.
        await InsertAsync(table, type, Enumerable.Range(1, 24));

        var first = await ExportAsync(table, batchSize: 5, pageSize: 4, cursorColumn: "c");
        await InsertAsync(table, type, Enumerable.Range(25, 7));
        var second = await ExportAsync(table, batchSize: 5, pageSize: 4, cursorColumn: "c");
        var third = await ExportAsync(table, batchSize: 5, pageSize: 4, cursorColumn: "c");

        AssertExactlyOnce(Range(1, 24), Ids(first));
        AssertExactlyOnce(Range(25, 31), Ids(second));
        Assert.Empty(third.Batches);
    }

    private Task InsertAsync(string table, Cursor type, IEnumerable<int> ids)
    {
        var list = ids.ToList();
        var values = string.Join(", ", list.Select((_, i) => $"(@p{2 * i}, @p{2 * i + 1})"));
        return Db.ExecuteAsync($"INSERT INTO {Db.Quote(table)} (id, c) VALUES {values}",
            list.SelectMany(id => new object[] { id, CursorValue(type, id / 3) }).ToArray());
    }

    private static object CursorValue(Cursor type, int k) => type switch
    {
        Cursor.Instant => TestDatabase.BaseTime.AddTicks(k * 10L),
        Cursor.BigInt => 9_000_000_000_000_000L + k,
        _ => 12_345_678_901_234.000001m + k * 0.000001m,
    };
}

public sealed class CursorTypePostgreSqlTests() : CursorTypeTests(TestDatabase.PostgreSql);

public sealed class CursorTypeMariaDbTests() : CursorTypeTests(TestDatabase.MariaDb);
