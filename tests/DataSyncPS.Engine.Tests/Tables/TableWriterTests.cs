using System.Data.Common;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tables;
using DataSyncPS.Engine.Tests.Incremental;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Tables;

/// <summary>The table writer against real PostgreSQL and MariaDB: tables made from the records' shape,
/// upserts counted exactly, reruns that change nothing, bad records refused one by one.</summary>
public class TableWriterTests
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

    /// <summary>A writer kept open over several batches, its verbose lines collected (what -Verbose shows).</summary>
    private static async Task<(List<TableWriteResult> Results, List<string> Verbose)> WriteBatchesAsync(SyncSource source, string table, string[] keys,
        params IReadOnlyList<TableRecord>[] batches)
    {
        var verbose = new List<string>();
        var results = new List<TableWriteResult>();
        await using var writer = await TableWriter.OpenAsync(source, table, keys, verbose.Add, Ct);
        foreach (var batch in batches)
        {
            var change = writer.Plan(batch);
            await writer.ApplyAsync(change, Ct);
            results.Add(await writer.WriteAsync(batch, new RecordingObserver(), Ct, change));
        }
        return (results, verbose);
    }

    private static bool Staged(string line) => line.Contains("datasyncps_stage", StringComparison.Ordinal);

    private static bool StagingLoad(string line) =>
        line.StartsWith("COPY pg_temp.datasyncps_stage", StringComparison.Ordinal) || line.StartsWith("MySqlBulkCopy into datasyncps_stage", StringComparison.Ordinal);

    /// <summary>A batch loaded straight into the table (PostgreSQL COPY, MySqlBulkCopy), not staged.</summary>
    private static bool CopiedStraightIn(string line, string table) =>
        line.StartsWith($"COPY \"{table}\" (", StringComparison.Ordinal) || line.StartsWith($"MySqlBulkCopy into `{table}` ", StringComparison.Ordinal);

    private static bool FallsBack(string line) => line.Contains("staging table for the rest of the run", StringComparison.Ordinal);

    private static async Task<List<string>> CustomerRowsAsync(TestDatabase db, string table) =>
        (await RowsAsync(db, $"SELECT id, name, price, active, updated FROM {table} ORDER BY id")).Select(r =>
            $"{r[0]}|{r[1]}|{Convert.ToDecimal(r[2]):0.00}|{Convert.ToBoolean(r[3])}|{(r[4] is DateTime d ? d.ToUniversalTime() : r[4]):O}").ToList();

    private static string CustomerRow(long i, string name, decimal price, bool active, DateTimeOffset updated) =>
        $"{i}|{name}|{price:0.00}|{active}|{updated.UtcDateTime:O}";

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_empty_table_is_loaded_straight_into_it_and_a_rerun_falls_back_to_the_upsert(string engine)
    {
        var db = Db(engine);
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_direct");
        var (first, verbose) = await WriteBatchesAsync(source, "tw_direct", ["id"], Customers(1, 100), Customers(101, 150));
        Assert.Equal([(100L, 0L, 0L), (50L, 0L, 0L)], first.Select(r => (r.Inserted, r.Updated, r.Unchanged)));
        Assert.Equal(2, verbose.Count(l => CopiedStraightIn(l, "tw_direct")));
        Assert.DoesNotContain(verbose, Staged);
        var loaded = await CustomerRowsAsync(db, "tw_direct");
        Assert.Equal(150, loaded.Count);
        Assert.Equal(CustomerRow(7, "cliente 7", 71.75m, false, At.AddMinutes(7)), loaded[6]);

        // The rerun meets every key: the first batch falls back (said once), the second goes staged at once.
        var (again, verbose2) = await WriteBatchesAsync(source, "tw_direct", ["id"], Customers(1, 100), Customers(101, 150));
        Assert.Equal([(0L, 0L, 100L), (0L, 0L, 50L)], again.Select(r => (r.Inserted, r.Updated, r.Unchanged)));
        Assert.Single(verbose2, FallsBack);
        Assert.Single(verbose2, l => CopiedStraightIn(l, "tw_direct"));
        Assert.Equal(2, verbose2.Count(StagingLoad));
        Assert.Equal(loaded, await CustomerRowsAsync(db, "tw_direct"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_batch_meeting_a_key_already_there_gives_the_upserts_rows_and_counts(string engine)
    {
        var db = Db(engine);
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_meet");
        await WriteAsync(source, "tw_meet", ["id"], Customers(1, 3));
        var batch = Customers(1, 5);
        batch[1] = Record(("id", 2L), ("name", "renamed"), ("price", 1.5m), ("active", true), ("updated", At));
        var (results, verbose) = await WriteBatchesAsync(source, "tw_meet", ["id"], batch, Customers(6, 8));
        Assert.Equal([(2L, 1L, 2L), (3L, 0L, 0L)], results.Select(r => (r.Inserted, r.Updated, r.Unchanged)));
        Assert.Single(verbose, FallsBack);
        Assert.Single(verbose, l => CopiedStraightIn(l, "tw_meet"));
        var rows = await CustomerRowsAsync(db, "tw_meet");
        Assert.Equal(8, rows.Count);
        Assert.Equal(CustomerRow(2, "renamed", 1.5m, true, At), rows[1]);
        Assert.Equal(CustomerRow(5, "cliente 5", 51.25m, false, At.AddMinutes(5)), rows[4]);
    }

    /// <summary>Each direct batch is its own transaction: a batch the server refuses leaves the batches
    /// before it committed and none of its own rows, and the rerun writes each row once.</summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_run_broken_between_batches_is_rerun_with_every_row_once(string engine)
    {
        var db = Db(engine);
        var source = await db.ConnectAsync(Ct);
        await db.RecreateAsync("tw_crash", engine == "PostgreSql"
            ? "id bigint PRIMARY KEY, name text, price numeric, active boolean, updated timestamptz, CONSTRAINT tw_crash_price_check CHECK (price < 1000)"
            : "id bigint PRIMARY KEY, name text, price decimal(38,10), active boolean, updated datetime(6), CONSTRAINT tw_crash_price_check CHECK (price < 1000)");
        var broken = Customers(95, 200); // 10.25 * 98 and up break the CHECK
        var ex = await Assert.ThrowsAsync<SyncException>(() => WriteBatchesAsync(source, "tw_crash", ["id"], Customers(1, 90), broken));
        Assert.Contains("tw_crash_price_check", ex.Message);
        Assert.Equal(90L, Convert.ToInt64(Assert.Single(await RowsAsync(db, "SELECT COUNT(*) FROM tw_crash"))[0]));

        var (results, verbose) = await WriteBatchesAsync(source, "tw_crash", ["id"], Customers(1, 90), Customers(91, 97));
        Assert.Equal([(0L, 0L, 90L), (7L, 0L, 0L)], results.Select(r => (r.Inserted, r.Updated, r.Unchanged)));
        Assert.Single(verbose, FallsBack);
        Assert.Equal(Enumerable.Range(1, 97).Select(i => (long)i), (await RowsAsync(db, "SELECT id FROM tw_crash ORDER BY id")).Select(r => Convert.ToInt64(r[0])));
    }

    /// <summary>MySqlBulkCopy maps the batch's columns by name into the table: names that need quoting,
    /// or that look like user variables, still land in their own column.</summary>
    [Fact]
    public async Task Odd_column_names_are_loaded_straight_into_a_MariaDB_table()
    {
        var db = TestDatabase.MariaDb;
        var source = await db.ConnectAsync(Ct);
        await DropAsync(db, "tw_odd_my");
        var batch = new List<TableRecord> { Record(("id", 1L), ("na`me; x", "v"), ("@Valor", 2m), ("with space", true)) };
        var (results, verbose) = await WriteBatchesAsync(source, "tw_odd_my", ["id"], batch);
        Assert.Equal(1L, results[0].Inserted);
        Assert.Single(verbose, l => CopiedStraightIn(l, "tw_odd_my"));
        var row = Assert.Single(await RowsAsync(db, "SELECT `na``me; x`, `@Valor`, `with space` FROM tw_odd_my"));
        Assert.Equal(new object?[] { "v", 2m, true }, new object?[] { row[0], Convert.ToDecimal(row[1]), Convert.ToBoolean(row[2]) });
    }

    /// <summary>On MariaDB a row that meets another unique index is a warning to a LOCAL load, not an
    /// error: the load is rolled back and ON DUPLICATE KEY UPDATE does what it always did (it updates the
    /// row that index finds). A MyISAM table, whose load could not be rolled back, is always staged.</summary>
    [Fact]
    public async Task MariaDB_falls_back_on_another_unique_index_and_never_loads_a_MyISAM_table_directly()
    {
        var db = TestDatabase.MariaDb;
        var source = await db.ConnectAsync(Ct);
        await db.RecreateAsync("tw_email_my", "id bigint PRIMARY KEY, email varchar(50) UNIQUE, name text");
        await db.ExecuteAsync("INSERT INTO tw_email_my VALUES (1, 'a@x', 'first')");
        var (_, verbose) = await WriteBatchesAsync(source, "tw_email_my", ["id"], [Record(("id", 2L), ("email", "a@x"), ("name", "second"))]);
        Assert.Single(verbose, FallsBack);
        Assert.Equal(["1:a@x:second"], (await RowsAsync(db, "SELECT id, email, name FROM tw_email_my ORDER BY id")).Select(r => $"{r[0]}:{r[1]}:{r[2]}"));

        await DropAsync(db, "tw_myisam");
        await db.ExecuteAsync("CREATE TABLE tw_myisam (id bigint PRIMARY KEY, name text) ENGINE = MyISAM");
        var (results, verbose2) = await WriteBatchesAsync(source, "tw_myisam", ["id"], [Record(("id", 1L), ("name", "a"))]);
        Assert.Equal(1L, results[0].Inserted);
        Assert.DoesNotContain(verbose2, l => CopiedStraightIn(l, "tw_myisam"));
        Assert.Single(verbose2, StagingLoad);
    }

    /// <summary>Two keys distinct in .NET (100 ns apart) are one key to the server (microseconds): the
    /// direct COPY fails on the duplicate, and the upsert it falls back to refuses the batch as before.</summary>
    [Fact]
    public async Task Keys_the_server_sees_as_one_in_a_batch_are_the_upserts_error_and_nothing_is_written()
    {
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await db.RecreateAsync("tw_dupkey", "at timestamptz PRIMARY KEY, name text");
        var batch = new List<TableRecord> { Record(("at", At), ("name", "a")), Record(("at", At.AddTicks(1)), ("name", "b")) };
        var ex = await Assert.ThrowsAsync<SyncException>(() => WriteBatchesAsync(source, "tw_dupkey", ["at"], batch));
        Assert.Equal(SyncErrorKind.QueryFailed, ex.Kind);
        Assert.Contains("cannot affect row a second time", ex.Message);
        Assert.Empty(await RowsAsync(db, "SELECT * FROM tw_dupkey"));
    }

    /// <summary>Another unique index: a row that would break it is the upsert's error (no silent retry),
    /// and a row whose key is there keeps its own value of that column without tripping it.</summary>
    [Fact]
    public async Task A_unique_index_besides_the_key_is_broken_or_kept_as_the_upsert_does()
    {
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await db.RecreateAsync("tw_email", "id bigint PRIMARY KEY, email text CONSTRAINT tw_email_unique UNIQUE, name text");
        await db.ExecuteAsync("INSERT INTO tw_email VALUES (1, 'a@x', 'first')");
        var taken = new List<TableRecord> { Record(("id", 2L), ("email", "a@x"), ("name", "second")) };
        var ex = await Assert.ThrowsAsync<SyncException>(() => WriteBatchesAsync(source, "tw_email", ["id"], taken));
        Assert.Contains("tw_email_unique", ex.Message);
        Assert.Single(await RowsAsync(db, "SELECT * FROM tw_email"));

        var same = new List<TableRecord> { Record(("id", 1L), ("email", "a@x"), ("name", "renamed")), Record(("id", 3L), ("email", "c@x"), ("name", "third")) };
        var (results, _) = await WriteBatchesAsync(source, "tw_email", ["id"], same);
        Assert.Equal((1L, 1L), (results[0].Inserted, results[0].Updated));
        Assert.Equal(["1:renamed", "3:third"], (await RowsAsync(db, "SELECT id, name FROM tw_email ORDER BY id")).Select(r => $"{r[0]}:{r[1]}"));

        // An exclusion constraint checked before the key (its index is older) refuses a row's rewrite
        // with 23P01, not 23505: the upsert still decides, and the rerun changes nothing.
        await db.RecreateAsync("tw_excl", "id bigint NOT NULL, name text, CONSTRAINT tw_excl_name EXCLUDE USING btree (name WITH =)");
        await db.ExecuteAsync("ALTER TABLE tw_excl ADD PRIMARY KEY (id); INSERT INTO tw_excl VALUES (1, 'a')");
        (results, _) = await WriteBatchesAsync(source, "tw_excl", ["id"], [Record(("id", 1L), ("name", "a")), Record(("id", 2L), ("name", "b"))]);
        Assert.Equal((1L, 0L, 1L), (results[0].Inserted, results[0].Updated, results[0].Unchanged));
        ex = await Assert.ThrowsAsync<SyncException>(() => WriteBatchesAsync(source, "tw_excl", ["id"], [Record(("id", 3L), ("name", "a"))]));
        Assert.Contains("tw_excl_name", ex.Message);
    }

    /// <summary>What an INSERT would do, the direct COPY does: defaults for the columns not written, row
    /// triggers after the insert; and where it would not (a trigger before the insert, which may skip a
    /// row; an identity column GENERATED ALWAYS; a deferrable key), the batch is written the staging way
    /// and gives the INSERT's answer.</summary>
    [Fact]
    public async Task Defaults_triggers_and_tables_COPY_would_treat_differently_give_what_an_INSERT_gives()
    {
        var db = TestDatabase.PostgreSql;
        var source = await db.ConnectAsync(Ct);
        await db.RecreateAsync("tw_trig", "id bigint PRIMARY KEY, name text, origin text DEFAULT 'api'");
        await db.RecreateAsync("tw_trig_log", "id bigint, name text");
        await db.ExecuteAsync("""
            CREATE OR REPLACE FUNCTION tw_trig_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO tw_trig_log VALUES (NEW.id, NEW.name); RETURN NULL; END $$;
            CREATE TRIGGER tw_trig_log AFTER INSERT ON tw_trig FOR EACH ROW EXECUTE FUNCTION tw_trig_log();
            """);
        var (results, verbose) = await WriteBatchesAsync(source, "tw_trig", ["id"], [Record(("id", 1L), ("name", "ana"))]);
        Assert.Equal(1L, results[0].Inserted);
        Assert.Single(verbose, l => CopiedStraightIn(l, "tw_trig"));
        Assert.Equal(new object?[] { "ana", "api" }, Assert.Single(await RowsAsync(db, "SELECT name, origin FROM tw_trig")));
        Assert.Equal(new object?[] { 1L, "ana" }, Assert.Single(await RowsAsync(db, "SELECT id, name FROM tw_trig_log")));

        await db.RecreateAsync("tw_skip", "id bigint PRIMARY KEY, name text");
        await db.ExecuteAsync("""
            CREATE OR REPLACE FUNCTION tw_skip() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = 'skip' THEN RETURN NULL; END IF; RETURN NEW; END $$;
            CREATE TRIGGER tw_skip BEFORE INSERT ON tw_skip FOR EACH ROW EXECUTE FUNCTION tw_skip();
            """);
        (results, verbose) = await WriteBatchesAsync(source, "tw_skip", ["id"], [Record(("id", 1L), ("name", "keep")), Record(("id", 2L), ("name", "skip"))]);
        Assert.Equal((1L, 0L, 1L), (results[0].Inserted, results[0].Updated, results[0].Unchanged));
        Assert.DoesNotContain(verbose, l => CopiedStraightIn(l, "tw_skip"));

        await db.RecreateAsync("tw_always", "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text");
        var ex = await Assert.ThrowsAsync<SyncException>(() => WriteBatchesAsync(source, "tw_always", ["id"], [Record(("id", 1L), ("name", "a"))]));
        Assert.Contains("cannot insert a non-DEFAULT value into column \"id\"", ex.Message);
        Assert.Empty(await RowsAsync(db, "SELECT * FROM tw_always"));

        await db.RecreateAsync("tw_deferred", "id bigint CONSTRAINT tw_deferred_pk PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, name text");
        ex = await Assert.ThrowsAsync<SyncException>(() => WriteBatchesAsync(source, "tw_deferred", ["id"], [Record(("id", 1L), ("name", "a"))]));
        Assert.Contains("deferrable", ex.Message);
        Assert.Empty(await RowsAsync(db, "SELECT * FROM tw_deferred"));
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
