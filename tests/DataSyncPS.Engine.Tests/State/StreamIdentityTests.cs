using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Incremental;
using DataSyncPS.Engine.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DataSyncPS.Engine.Tests.State;

/// <summary>A stream's identity is canonical — resolved server and port, database, the schema-qualified
/// table as the catalog names it — not the spelling of the parameters (DESIGN contract 10).</summary>
public abstract class StreamIdentityTests(TestDatabase db) : IncrementalTest(db)
{
    [Fact]
    public async Task A_port_typed_into_the_server_name_is_the_same_source()
    {
        var plain = await ConnectAsync(server: "127.0.0.1");
        var withPort = await ConnectAsync(server: $"127.0.0.1:{plain.Port}");
        Assert.Equal("127.0.0.1", withPort.Server);
        Assert.Equal(plain.Port, withPort.Port);
        Assert.Equal(plain.Identity, withPort.Identity);
        Assert.DoesNotContain($":{plain.Port}:{plain.Port}", withPort.Location);
    }

    [Fact]
    public async Task A_table_with_or_without_its_schema_is_one_stream()
    {
        const string table = "it_ident_schema";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 10);
        var source = await Db.ConnectAsync(Ct);
        var schema = await CurrentSchemaAsync();

        var first = await ExportAsync(table, batchSize: 4, stream: null);
        await Db.InsertRowsAsync(table, 11, 12);
        var second = await ExportAsync($"{schema}.{table}", batchSize: 4);

        Assert.Equal(Range(11, 12), Ids(second));
        Assert.Equal(table, second.Batches[0].Stream);
        Assert.Equal(first.Batches[0].StreamKey, second.Batches[0].StreamKey);
        Assert.EndsWith($"|{schema}.{table}", first.Batches[0].StreamKey);
        using var state = new StateStore(StatePath);
        Assert.Single(state.Streams(), s => s.Source == source.Identity);
    }

    [Fact]
    public async Task A_stream_kept_under_the_earlier_spelling_continues_after_an_upgrade()
    {
        const string table = "it_ident_upgrade";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 10);
        var source = await ConnectAsync(server: "127.0.0.1");
        await ExportAsync(table, batchSize: 4, source: source);
        // What version 0.1 left: the server as typed in the identity and the table as typed as the stream.
        var canonical = (await OutboxAsync(table, source))[0].StreamKey;
        var earlier = $"{Db.Kind}://127.0.0.1:{source.Port}/{source.Database}|{table}";
        using (var c = new SqliteConnection($"Data Source={StatePath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                UPDATE streams SET stream_key = $e, stream = $t WHERE stream_key = $k;
                UPDATE batches SET stream_key = $e WHERE stream_key = $k;
                UPDATE runs SET stream_key = $e WHERE stream_key = $k;
                """;
            cmd.Parameters.AddWithValue("$e", earlier);
            cmd.Parameters.AddWithValue("$t", table);
            cmd.Parameters.AddWithValue("$k", canonical);
            cmd.ExecuteNonQuery();
        }
        await Db.InsertRowsAsync(table, 11, 13);
        var observer = new RecordingObserver();

        var rerun = await ExportAsync(table, batchSize: 4, source: source, observer: observer);

        Assert.Equal(Range(11, 13), Ids(rerun));
        Assert.Equal([4L], rerun.Batches.Select(b => b.Sequence));
        Assert.Contains(observer.VerboseMessages, m => m.Contains("continues as"));
        AssertExactlyOnce(Range(1, 13), await OutboxIdsAsync(table, source));
    }

    private Task<SyncSource> ConnectAsync(string server) =>
        SourceConnector.ConnectAsync(new ConnectionSpec { Provider = Db.Kind, ConnectionString = TestServers.ConnectionString(Db.Kind), Server = server }, test: true, Ct);

    private async Task<string> CurrentSchemaAsync()
    {
        await using var c = await Db.OpenAsync();
        return (await Engine.Schema.CatalogReader.For(Db.Dialect).CurrentSchemaAsync(c, Ct))!;
    }
}

public sealed class StreamIdentityPostgreSqlTests() : StreamIdentityTests(TestDatabase.PostgreSql);

public sealed class StreamIdentityMariaDbTests() : StreamIdentityTests(TestDatabase.MariaDb);
