using System.Security.Cryptography;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Incremental;
using Microsoft.Data.Sqlite;

namespace DataSyncPS.Engine.Tests.State;

/// <summary>
/// A state file that exists but cannot be read is an error, never a silent fresh start (DESIGN contract
/// 10): a fresh start restarts every stream at sequence 1, over batch files already in the outbox.
/// </summary>
public sealed class StateFileTests() : IncrementalTest(TestDatabase.PostgreSql)
{
    [Fact]
    public async Task An_emptied_state_file_is_StateStoreFailed_and_the_outbox_is_untouched()
    {
        const string table = "it_state_emptied";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 20);
        await ExportAsync(table, batchSize: 7);
        var before = Snapshot();
        Assert.Equal(3, before.Count);

        File.WriteAllBytes(StatePath, []); // an admin's "> state.db", or a disk that lost it
        await Db.InsertRowsAsync(table, 21, 22);
        var error = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, batchSize: 7));

        Assert.Equal(SyncErrorKind.StateStoreFailed, error.Kind);
        Assert.Contains(StatePath, error.Message);
        Assert.Contains("empty", error.Message);
        Assert.Equal(before, Snapshot());
        Assert.Equal(0, new FileInfo(StatePath).Length);
    }

    [Fact]
    public async Task Garbled_pages_are_StateStoreFailed_not_a_raw_sqlite_error()
    {
        const string table = "it_state_garbled";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 20);
        await ExportAsync(table, batchSize: 2);
        var before = Snapshot();

        using (var f = new FileStream(StatePath, FileMode.Open, FileAccess.ReadWrite))
        {
            Assert.True(f.Length > 8192);
            f.Position = 4096; // every page after the first: the header still says SQLite, the tables are noise
            f.Write(RandomNumberGenerator.GetBytes((int)f.Length - 4096));
        }
        var error = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, batchSize: 2));

        Assert.Equal(SyncErrorKind.StateStoreFailed, error.Kind);
        Assert.Contains(StatePath, error.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void A_file_that_is_not_sqlite_or_not_ours_is_refused()
    {
        File.WriteAllText(StatePath, "just some text an admin saved here\n");
        Assert.Equal(SyncErrorKind.StateStoreFailed, Assert.Throws<SyncException>(() => new StateStore(StatePath)).Kind);

        var other = Temp.Combine("app.db");
        using (var c = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'a');";
            cmd.ExecuteNonQuery();
        }
        var error = Assert.Throws<SyncException>(() => new StateStore(other));
        Assert.Equal(SyncErrorKind.StateStoreFailed, error.Kind);
        Assert.Contains("not a DataSyncPS state store", error.Message);
    }

    [Fact]
    public void A_new_store_is_created_whole_and_reopened()
    {
        using (var store = new StateStore(StatePath)) Assert.Empty(store.Streams());
        Assert.True(new FileInfo(StatePath).Length > 0);
        Assert.Empty(Directory.GetFiles(Temp.Path, "state.db.*.new"));
        using var again = new StateStore(StatePath);
        Assert.Empty(again.Streams());
    }

    [Fact]
    public void OpenExisting_does_not_create_a_store()
    {
        var error = Assert.Throws<SyncException>(() => StateStore.OpenExisting(StatePath));
        Assert.Equal(SyncErrorKind.PathNotFound, error.Kind);
        Assert.False(File.Exists(StatePath));
    }

    [Fact]
    public void A_store_of_the_first_version_is_migrated_with_its_streams_sequences_and_outbox()
    {
        using (var c = new SqliteConnection($"Data Source={StatePath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            // The version 0 schema: a streams row only for streams with a watermark.
            cmd.CommandText = """
                CREATE TABLE streams (stream_key TEXT PRIMARY KEY, source TEXT NOT NULL, stream TEXT NOT NULL, watermark TEXT, updated_at TEXT NOT NULL);
                CREATE TABLE batches (stream_key TEXT NOT NULL, sequence INTEGER NOT NULL, path TEXT NOT NULL, rows INTEGER NOT NULL, bytes INTEGER NOT NULL,
                  sha256 TEXT NOT NULL, first_cursor TEXT, last_cursor TEXT, watermark TEXT, created_at TEXT NOT NULL,
                  status TEXT NOT NULL DEFAULT 'Written', upload_id TEXT, confirmed_at TEXT, PRIMARY KEY (stream_key, sequence));
                CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, stream_key TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT,
                  status TEXT NOT NULL, rows INTEGER NOT NULL DEFAULT 0, batches INTEGER NOT NULL DEFAULT 0, message TEXT);
                INSERT INTO streams VALUES ('PostgreSql://db01:5432/erp|vendas', 'PostgreSql://db01:5432/erp', 'vendas', '[{"t":"i4","v":"7"}]', '2024-01-01T00:00:00.0000000+00:00');
                INSERT INTO batches VALUES ('PostgreSql://db01:5432/erp|vendas', 1, '/o/vendas-000001.jsonl.gz', 7, 100, 'aa', '1', '7', NULL, '2024-01-01T00:00:00.0000000+00:00', 'Confirmed', 'u1', '2024-01-01T00:00:00.0000000+00:00');
                INSERT INTO batches VALUES ('PostgreSql://db01:5432/erp|vendas', 2, '/o/vendas-000002.jsonl.gz', 3, 50, 'bb', '8', '10', NULL, '2024-01-01T00:00:00.0000000+00:00', 'Written', NULL, NULL);
                INSERT INTO batches VALUES ('Pipeline:|api|customers', 4, '/o/api_customers-000004.jsonl.gz', 5, 60, 'cc', NULL, NULL, NULL, '2024-01-01T00:00:00.0000000+00:00', 'Written', NULL, NULL);
                INSERT INTO runs (stream_key, started_at, ended_at, status, rows, batches) VALUES ('Pipeline:|api|customers', '2024-01-01T00:00:00.0000000+00:00', '2024-01-01T00:01:00.0000000+00:00', 'Succeeded', 5, 1);
                """;
            cmd.ExecuteNonQuery();
        }

        using var store = new StateStore(StatePath);
        var streams = store.Streams();
        var vendas = Assert.Single(streams, s => s.Stream == "vendas");
        Assert.Equal("(7)", vendas.Watermark);
        Assert.Equal(3, vendas.NextSequence);
        Assert.Equal(1, vendas.PendingBatches);
        Assert.Equal(1, vendas.ConfirmedBatches);
        var customers = Assert.Single(streams, s => s.Stream == "customers");
        Assert.Equal("Pipeline:|api", customers.Source); // a '|' inside the source text stays in the source
        Assert.Equal(5, customers.NextSequence);
        Assert.Equal(RunStatus.Succeeded, customers.LastRunStatus);
        Assert.Equal(["vendas", "customers"], store.PendingBatches().Select(b => b.Stream).Order().Reverse());
    }

    [Fact]
    public void A_store_of_schema_1_gains_first_key_and_rejected_batches_stay_out_of_the_file_outbox()
    {
        using (var c = new SqliteConnection($"Data Source={StatePath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            // The schema 0.2 and 0.3 wrote (user_version 1).
            cmd.CommandText = """
                CREATE TABLE streams (stream_key TEXT PRIMARY KEY, source TEXT NOT NULL, stream TEXT NOT NULL,
                  watermark TEXT, updated_at TEXT NOT NULL, name TEXT, next_sequence INTEGER);
                CREATE TABLE batches (stream_key TEXT NOT NULL, sequence INTEGER NOT NULL, path TEXT NOT NULL, rows INTEGER NOT NULL, bytes INTEGER NOT NULL,
                  sha256 TEXT NOT NULL, first_cursor TEXT, last_cursor TEXT, watermark TEXT, created_at TEXT NOT NULL,
                  status TEXT NOT NULL DEFAULT 'Written', upload_id TEXT, confirmed_at TEXT, PRIMARY KEY (stream_key, sequence));
                CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, stream_key TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT,
                  status TEXT NOT NULL, rows INTEGER NOT NULL DEFAULT 0, batches INTEGER NOT NULL DEFAULT 0, message TEXT);
                INSERT INTO streams VALUES ('S|vendas', 'S', 'vendas', NULL, '2024-01-01T00:00:00.0000000+00:00', 'vendas', 2);
                INSERT INTO batches VALUES ('S|vendas', 1, '/o/vendas-000001.jsonl.gz', 7, 100, 'aa', NULL, NULL, NULL, '2024-01-01T00:00:00.0000000+00:00', 'Written', NULL, NULL);
                PRAGMA application_id = 1146310739; PRAGMA user_version = 1;
                """;
            cmd.ExecuteNonQuery();
        }

        using var store = new StateStore(StatePath);
        var key = new StreamKey("S", "plusoft:x/vendas");
        var first = new Watermark([new DateTime(2024, 7, 1), 1, 10L, 1]).Serialize();
        store.CommitBatch(key, "plusoft-vendas", new BatchRecord(1, "http://x/vendas", 2, 10, "bb", "a", "b") { FirstKey = first }, "[]", BatchStatus.Rejected);
        var rejected = Assert.Single(store.RejectedBatches(key));
        Assert.Equal(first, rejected.FirstKey);
        Assert.Equal(BatchStatus.Rejected, rejected.Status);
        // Send-DataSnapBatch -Pending sends batch files only; Get-SyncState counts the rejected one as pending.
        Assert.Equal(["/o/vendas-000001.jsonl.gz"], store.PendingBatches().Select(b => b.Path));
        Assert.Equal(1, store.Streams().Single(s => s.Stream == "plusoft-vendas").PendingBatches);
        store.MarkRedelivered(key, 1, 3, 12, "cc", "L-1");
        Assert.Empty(store.RejectedBatches(key));
        Assert.Equal(1, store.Streams().Single(s => s.Stream == "plusoft-vendas").ConfirmedBatches);
    }

    /// <summary>Every file of the output folder with its bytes' hash.</summary>
    private Dictionary<string, string> Snapshot() => Directory.GetFiles(OutputDirectory)
        .ToDictionary(f => Path.GetFileName(f)!, f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));
}
