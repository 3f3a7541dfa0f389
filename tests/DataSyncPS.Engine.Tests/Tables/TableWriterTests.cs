using System.Data.Common;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tables;
using DataSyncPS.Engine.Tests.Incremental;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Tables;

/// <summary>The table writer against real PostgreSQL and MariaDB: tables made from the records' shape,
/// upserts counted exactly, reruns that change nothing, bad records refused one by one.</summary>
public partial class TableWriterTests
{
    public static TheoryData<string> Engines => new() { "PostgreSql", "MariaDb" };

    private static TestDatabase Db(string engine) => engine == "PostgreSql" ? TestDatabase.PostgreSql : TestDatabase.MariaDb;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static TableRecord Record(params (string Name, object? Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, object?>(f.Name, f.Value)).ToList());

    /// <summary>What Write-SyncTable -CreateTable does with one batch.</summary>
    internal static async Task<TableWriteResult> WriteAsync(SyncSource source, string table, string[] keys, IReadOnlyList<TableRecord> batch,
        RecordingObserver? observer = null, bool create = true)
    {
        await using var writer = await TableWriter.OpenAsync(source, table, keys, null, Ct);
        var change = writer.Plan(batch);
        if (create) await writer.ApplyAsync(change, Ct);
        return await writer.WriteAsync(batch, observer ?? new RecordingObserver(), Ct, change);
    }

    private static async Task<List<object?[]>> RowsAsync(TestDatabase db, string sql)
    {
        await using var c = await db.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        var rows = new List<object?[]>();
        while (await r.ReadAsync(Ct))
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static async Task DropAsync(TestDatabase db, string table) => await db.ExecuteAsync($"DROP TABLE IF EXISTS {table}");

    private static readonly DateTimeOffset At = new(2024, 3, 1, 12, 30, 0, TimeSpan.FromHours(-3));

    private static List<TableRecord> Customers(int from, int to, string suffix = "") => Enumerable.Range(from, to - from + 1).Select(i => Record(
        ("id", (long)i), ("name", $"cliente {i}{suffix}"), ("price", 10.25m * i), ("active", i % 2 == 0), ("updated", At.AddMinutes(i)))).ToList();

    [Fact]
    public async Task A_table_is_created_from_the_records_shape_with_PostgreSQL_types()
    {
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await db.ExecuteAsync("DROP SCHEMA IF EXISTS tw_shape CASCADE");
        var records = new[]
        {
            Record(("id", 1L), ("name", "Ação"), ("price", 10.50m), ("qty", 3), ("active", true), ("at", At), ("day", new DateOnly(2024, 1, 31)),
                ("address", new Dictionary<string, object?> { ["city"] = "Recife", ["zip"] = 50000 }), ("tags", new List<object?> { "a", "b" }), ("none", null)),
        };
        var result = await WriteAsync(source, "tw_shape.customers", ["id"], records);
        Assert.True(result.Created);
        Assert.Equal(1, result.Inserted);

        var types = await RowsAsync(db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'tw_shape' AND table_name = 'customers' ORDER BY ordinal_position");
        Assert.Equal(
            ["id:bigint", "name:text", "price:numeric", "qty:bigint", "active:boolean", "at:timestamp with time zone", "day:date", "address:jsonb", "tags:jsonb", "none:text"],
            types.Select(t => $"{t[0]}:{t[1]}"));
        var row = Assert.Single(await RowsAsync(db, "SELECT name, price::text, at, day::text, address::text, tags::text FROM tw_shape.customers"));
        Assert.Equal("Ação", row[0]);
        Assert.Equal("10.50", row[1]);
        Assert.Equal(At.UtcDateTime, ((DateTime)row[2]!).ToUniversalTime());
        Assert.Equal("2024-01-31", row[3]);
        Assert.Equal("""{"zip": 50000, "city": "Recife"}""", row[4]);
        Assert.Equal("""["a", "b"]""", row[5]);
        var pk = await RowsAsync(db, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'tw_shape.customers'::regclass AND i.indisprimary");
        Assert.Equal("id", Assert.Single(pk)[0]);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_rerun_changes_nothing_and_a_changed_record_is_one_update(string engine)
    {
        var db = Db(engine);
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_rerun");
        var first = await WriteAsync(source, "tw_rerun", ["id"], Customers(1, 100));
        Assert.Equal((100L, 0L, 0L), (first.Inserted, first.Updated, first.Unchanged));

        var again = await WriteAsync(source, "tw_rerun", ["id"], Customers(1, 100));
        Assert.Equal((0L, 0L, 100L), (again.Inserted, again.Updated, again.Unchanged));

        var changed = Customers(1, 100);
        changed[9] = Record(("id", 10L), ("name", "renamed"), ("price", 1.5m), ("active", true), ("updated", At));
        changed.AddRange(Customers(101, 103));
        var third = await WriteAsync(source, "tw_rerun", ["id"], changed);
        Assert.Equal((3L, 1L, 99L), (third.Inserted, third.Updated, third.Unchanged));
        Assert.Equal(103L, Convert.ToInt64(Assert.Single(await RowsAsync(db, "SELECT COUNT(*) FROM tw_rerun"))[0]));
        var ten = Assert.Single(await RowsAsync(db, "SELECT name, price FROM tw_rerun WHERE id = 10"));
        Assert.Equal("renamed", ten[0]);
        Assert.Equal(1.5m, Convert.ToDecimal(ten[1]));
    }

    [Fact]
    public async Task A_partitioned_table_is_upserted_and_counted_like_any_other()
    {
        // RETURNING xmax, which told inserts from updates, is refused on a partitioned table.
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_parts");
        await db.ExecuteAsync("""
            CREATE TABLE tw_parts (id bigint PRIMARY KEY, name text, price numeric, active boolean, updated timestamptz) PARTITION BY RANGE (id);
            CREATE TABLE tw_parts_low PARTITION OF tw_parts FOR VALUES FROM (MINVALUE) TO (51);
            CREATE TABLE tw_parts_high PARTITION OF tw_parts FOR VALUES FROM (51) TO (MAXVALUE);
            """);
        var first = await WriteAsync(source, "tw_parts", ["id"], Customers(1, 100), create: false);
        Assert.Equal((100L, 0L, 0L), (first.Inserted, first.Updated, first.Unchanged));

        var again = await WriteAsync(source, "tw_parts", ["id"], Customers(1, 100), create: false);
        Assert.Equal((0L, 0L, 100L), (again.Inserted, again.Updated, again.Unchanged));

        var changed = Customers(1, 100);
        changed[59] = Record(("id", 60L), ("name", "renamed"), ("price", 1.5m), ("active", true), ("updated", At));
        changed.AddRange(Customers(101, 103));
        var third = await WriteAsync(source, "tw_parts", ["id"], changed, create: false);
        Assert.Equal((3L, 1L, 99L), (third.Inserted, third.Updated, third.Unchanged));
        Assert.Equal(["50", "53"], (await RowsAsync(db, "SELECT COUNT(*)::text FROM tw_parts_low UNION ALL SELECT COUNT(*)::text FROM tw_parts_high")).Select(r => (string)r[0]!));
        Assert.Equal("renamed", Assert.Single(await RowsAsync(db, "SELECT name FROM tw_parts WHERE id = 60"))[0]);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_bad_record_is_an_error_naming_its_key_and_the_others_are_written(string engine)
    {
        var db = Db(engine);
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_bad");
        await WriteAsync(source, "tw_bad", ["id"], Customers(1, 3));
        var observer = new RecordingObserver();
        var batch = new List<TableRecord>
        {
            Record(("id", 4L), ("name", "ok"), ("price", 1m)),
            Record(("id", 5L), ("name", "bad price"), ("price", "abc")),
            Record(("name", "no key"), ("price", 2m)),
            Record(("id", 6L), ("name", "ok too"), ("price", "7.25")),
        };
        var result = await WriteAsync(source, "tw_bad", ["id"], batch, observer);
        Assert.Equal((2L, 2L), (result.Inserted, result.Rejected));
        var errors = observer.Errors.ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(SyncErrorKind.RecordRejected, e.Kind));
        Assert.Contains("id=5", errors[0].Message);
        Assert.Contains("'price'", errors[0].Message);
        Assert.Contains("'abc' does not fit numeric", errors[0].Message);
        Assert.Contains("no value for the key field 'id'", errors[1].Message);
        Assert.Equal(7.25m, Convert.ToDecimal(Assert.Single(await RowsAsync(db, "SELECT price FROM tw_bad WHERE id = 6"))[0]));
        Assert.Equal(5L, Convert.ToInt64(Assert.Single(await RowsAsync(db, "SELECT COUNT(*) FROM tw_bad"))[0]));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_new_field_becomes_a_new_column_and_older_rows_keep_null(string engine)
    {
        var db = Db(engine);
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_evolve");
        await WriteAsync(source, "tw_evolve", ["id"], Customers(1, 5));
        var grown = Customers(5, 6).Select(r => new TableRecord([.. r.Fields, new("segment", "varejo"), new("score", 4.5m)])).ToList();
        await using (var writer = await TableWriter.OpenAsync(source, "tw_evolve", ["id"], null, Ct))
        {
            var change = writer.Plan(grown);
            Assert.False(change.CreatesTable);
            Assert.Equal(["segment", "score"], change.NewColumns.Select(c => c.Name));
            await writer.ApplyAsync(change, Ct);
            var result = await writer.WriteAsync(grown, new RecordingObserver(), Ct, change);
            Assert.Equal(["segment", "score"], result.ColumnsAdded);
            Assert.Equal((1L, 1L), (result.Inserted, result.Updated));
        }
        var rows = await RowsAsync(db, "SELECT id, segment, score FROM tw_evolve ORDER BY id");
        Assert.Equal(6, rows.Count);
        Assert.Null(rows[0][1]);
        Assert.Equal("varejo", rows[4][1]);
        Assert.Equal(4.5m, Convert.ToDecimal(rows[5][2]));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_last_record_of_a_key_seen_twice_in_a_batch_wins(string engine)
    {
        var db = Db(engine);
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_twice");
        var batch = new List<TableRecord> { Record(("id", 1L), ("name", "old")), Record(("id", 2L), ("name", "two")), Record(("id", 1L), ("name", "new")) };
        var result = await WriteAsync(source, "tw_twice", ["id"], batch);
        Assert.Equal((2L, 1L), (result.Inserted, result.Superseded));
        Assert.Equal("new", Assert.Single(await RowsAsync(db, "SELECT name FROM tw_twice WHERE id = 1"))[0]);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_composite_key_and_values_converted_to_existing_column_types(string engine)
    {
        var db = Db(engine);
        var source = await db.ConnectAsync(Ct);
        var ts = engine == "PostgreSql" ? "timestamptz" : "datetime(6)";
        await db.RecreateAsync("tw_typed", $"plate varchar(10) NOT NULL, at {ts} NOT NULL, speed integer, ok boolean, PRIMARY KEY (plate, at)");
        var batch = new List<TableRecord>
        {
            Record(("plate", "ABC1D23"), ("at", "2024-05-01T10:00:00-03:00"), ("speed", "80"), ("ok", "true")),
            Record(("plate", "ABC1D23"), ("at", "2024-05-01T10:01:00-03:00"), ("speed", 81.0), ("ok", 0)),
            Record(("plate", "XYZ9A87"), ("at", "2024-05-01T10:00:00-03:00"), ("speed", 3_000_000_000L), ("ok", true)),
        };
        var observer = new RecordingObserver();
        var result = await WriteAsync(source, "tw_typed", ["plate", "at"], batch, observer, create: false);
        Assert.Equal((2L, 1L), (result.Inserted, result.Rejected));
        Assert.Contains("plate=XYZ9A87", Assert.Single(observer.Errors).Message);
        Assert.Contains("does not fit integer", observer.Errors.Single().Message);
        var rows = await RowsAsync(db, "SELECT speed, ok FROM tw_typed ORDER BY at");
        Assert.Equal([80L, 81L], rows.Select(r => Convert.ToInt64(r[0])));
        Assert.Equal([true, false], rows.Select(r => Convert.ToBoolean(r[1])));
    }

    /// <summary>Every column kind PostgreSQL gets in the binary COPY bytes the writer encodes itself,
    /// read back as the server sees it: numeric keeps its scale and sign at any size.</summary>
    [Fact]
    public async Task Every_column_kind_is_encoded_for_binary_COPY_as_the_server_reads_it()
    {
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await db.RecreateAsync("tw_kinds", """
            id bigint PRIMARY KEY, i integer, s smallint, n numeric, d double precision, r real, b boolean, t text, v varchar(20),
            tz timestamptz, ts timestamp, dt date, jb jsonb, js json, u uuid, ip inet
            """);
        var numbers = new[] { 10.50m, -0.05m, 0m, 0.00m, 12345678901234567890.0123456789m, -79228162514264337593543950335m, 0.0000000000000000000000000001m, 1e20m, 10000m };
        var batch = numbers.Select((n, k) => Record(("id", (long)k), ("i", -7), ("s", "12"), ("n", n), ("d", 1.25), ("r", 2.5f), ("b", "sim"), ("t", "Ação 'x'"),
            ("v", 42), ("tz", At), ("ts", "2024-03-01T12:30:00.123456-03:00"), ("dt", new DateOnly(2024, 2, 29)),
            ("jb", "{\"a\": [1, 2]}"), ("js", new Dictionary<string, object?> { ["k"] = "v" }), ("u", "6f1c3c1e-5d7b-4c1a-9a53-2b1f3c4d5e6f"), ("ip", "10.0.0.1"))).ToList();
        batch.Add(Record(("id", 100L), ("jb", "not json {"), ("js", "[1, oops]")));
        var result = await WriteAsync(source, "tw_kinds", ["id"], batch, create: false);
        Assert.Equal((10L, 0L), (result.Inserted, result.Rejected));
        var texts = await RowsAsync(db, "SELECT n::text FROM tw_kinds WHERE id < 100 ORDER BY id");
        Assert.Equal(numbers.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), texts.Select(t => (string)t[0]!));
        var row = Assert.Single(await RowsAsync(db, """
            SELECT i, s, d, r, b, t, v, tz = '2024-03-01T12:30:00-03:00'::timestamptz, ts::text, dt::text, jb::text, js::text, u::text, host(ip)
            FROM tw_kinds WHERE id = 0
            """));
        Assert.Equal(new object?[] { -7, (short)12, 1.25, 2.5f, true, "Ação 'x'", "42", true, "2024-03-01 15:30:00.123456", "2024-02-29",
            """{"a": [1, 2]}""", """{"k":"v"}""", "6f1c3c1e-5d7b-4c1a-9a53-2b1f3c4d5e6f", "10.0.0.1" }, row);
        // Text that is not JSON goes into a JSON column as a JSON string.
        var odd = Assert.Single(await RowsAsync(db, "SELECT jb::text, js::text, n FROM tw_kinds WHERE id = 100"));
        Assert.Equal(new object?[] { "\"not json {\"", "\"[1, oops]\"", null }, odd);
    }

    [Fact]
    public async Task Identifiers_are_quoted_so_odd_names_are_names()
    {
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await db.ExecuteAsync("DROP TABLE IF EXISTS \"tw_odd\"\"; DROP TABLE x; --\"");
        var batch = new List<TableRecord> { Record(("id", 1L), ("na\"me; DROP TABLE x", "v"), ("Valor", 2m)) };
        var result = await WriteAsync(source, "\"tw_odd\"\"; DROP TABLE x; --\"", ["id"], batch);
        Assert.Equal(1, result.Inserted);
        var columns = await RowsAsync(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'tw_odd\"; DROP TABLE x; --' ORDER BY ordinal_position");
        Assert.Equal(["id", "na\"me; DROP TABLE x", "Valor"], columns.Select(c => (string)c[0]!));
    }

    [Fact]
    public async Task A_key_that_is_not_unique_in_the_table_is_a_clear_error()
    {
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await db.RecreateAsync("tw_nokey", "id bigint, name text");
        var ex = await Assert.ThrowsAsync<SyncException>(() => WriteAsync(source, "tw_nokey", ["id"], [Record(("id", 1L), ("name", "a"))], create: false));
        Assert.Equal(SyncErrorKind.QueryFailed, ex.Kind);
        Assert.Contains("not the table's primary key or a unique index", ex.Message);
    }

    [Fact]
    public async Task A_missing_key_field_when_creating_is_ColumnNotFound_before_anything_is_made()
    {
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_nofield");
        await using var writer = await TableWriter.OpenAsync(source, "tw_nofield", ["code"], null, Ct);
        var ex = Assert.Throws<SyncException>(() => writer.Plan([Record(("id", 1L))]));
        Assert.Equal(SyncErrorKind.ColumnNotFound, ex.Kind);
        Assert.False(await db.TableExistsAsync("tw_nofield"));
    }

    [Theory]
    [InlineData(new object[] { 1, 2L }, ColumnKind.BigInt)]
    [InlineData(new object[] { 1, 2.5 }, ColumnKind.Numeric)]
    [InlineData(new object[] { true, false }, ColumnKind.Boolean)]
    [InlineData(new object[] { "a", 1 }, ColumnKind.Text)]
    [InlineData(new object[] { }, ColumnKind.Text)]
    public void Column_kinds_are_inferred_from_values(object[] values, ColumnKind expected) =>
        Assert.Equal(expected, ColumnTypeInference.Infer(values));
}
