using System.Data.Common;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tables;
using DataSyncPS.Engine.Tests.Incremental;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Tables;

/// <summary>The direct load: batches copied straight into the table until one meets a key already
/// there, then the staging table and upsert, with the same rows, counts and errors as the upsert alone.</summary>
public partial class TableWriterTests
{
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
}
