using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>
/// A -Query export writes a column the way a -Table export of its table does, where the driver says
/// which table column a result column comes from: MariaDB's JSON (LONGTEXT to the driver) and BIT(1)
/// (a number to the driver), SQLite's declared DECIMAL(p,s) (the driver drops the scale).
/// </summary>
public sealed class QueryColumnTypeTests
{
    private const string MariaDbColumns = "id INT PRIMARY KEY, doc JSON, flag BIT(1), valor DECIMAL(10,2), ativo TINYINT(1), quando DATETIME, nome VARCHAR(20)";
    private const string MariaDbRow = """(1, '{"a": [1, 2.50]}', b'1', 751.40, 1, '2024-01-02 03:04:05', 'ação')""";

    [Fact]
    public async Task MariaDb_select_star_as_a_query_gives_the_same_json_as_the_table()
    {
        TestServers.Require(ProviderKind.MariaDb);
        await using var db = await Fixture.CreateAsync(ProviderKind.MariaDb, MariaDbColumns, MariaDbRow);

        var table = await db.ExportAsync(table: db.Table);
        Assert.Equal("""{"id":1,"doc":{"a": [1, 2.50]},"flag":true,"valor":751.40,"ativo":true,"quando":"2024-01-02T03:04:05+00:00","nome":"ação"}""", Assert.Single(table));
        Assert.Equal(table, await db.ExportAsync(query: $"SELECT * FROM {db.Table}"));
    }

    [Fact]
    public async Task MariaDb_query_columns_keep_their_table_types_under_an_alias_and_in_keyset_pages()
    {
        TestServers.Require(ProviderKind.MariaDb);
        await using var db = await Fixture.CreateAsync(ProviderKind.MariaDb, MariaDbColumns, MariaDbRow);

        var lines = await db.ExportAsync(query: $"SELECT id, doc AS documento, flag AS pago, quando FROM {db.Table} WHERE id > 0",
            cursor: "quando", keys: ["id"]);
        Assert.Equal("""{"id":1,"documento":{"a": [1, 2.50]},"pago":true,"quando":"2024-01-02T03:04:05+00:00"}""", Assert.Single(lines));
    }

    [Fact]
    public async Task Sqlite_select_star_as_a_query_gives_the_same_json_as_the_table()
    {
        await using var db = await Fixture.CreateAsync(ProviderKind.Sqlite,
            "id INTEGER PRIMARY KEY, valor DECIMAL(10,2), pago BOOLEAN, dia DATE, quando DATETIME, doc JSON",
            """(1, '751.40', 1, '2024-01-31', '2024-02-01 00:00:00', '{"a": 1}')""");

        var table = await db.ExportAsync(table: db.Table);
        Assert.Equal("""{"id":1,"valor":751.40,"pago":true,"dia":"2024-01-31","quando":"2024-02-01T00:00:00+00:00","doc":{"a": 1}}""", Assert.Single(table));
        Assert.Equal(table, await db.ExportAsync(query: $"SELECT * FROM {db.Table}"));
    }

    /// <summary>A table of its own (a fresh name: other suites share the servers) with one row.</summary>
    private sealed class Fixture : IAsyncDisposable
    {
        private readonly TempDirectory _dir = new();
        private readonly SqlDialect _dialect;
        private readonly string _connectionString;
        private readonly ConnectionSpec _spec;
        private int _exports;

        private Fixture(ProviderKind kind)
        {
            _dialect = SqlDialect.For(kind);
            var file = _dir.Combine("source.db");
            _connectionString = kind == ProviderKind.Sqlite ? $"Data Source={file}" : TestServers.ConnectionString(kind);
            _spec = kind == ProviderKind.Sqlite
                ? new ConnectionSpec { Provider = kind, Path = file }
                : new ConnectionSpec { Provider = kind, ConnectionString = _connectionString };
        }

        public string Table { get; } = "qt_" + Guid.NewGuid().ToString("N")[..12];

        public static async Task<Fixture> CreateAsync(ProviderKind kind, string columns, string row)
        {
            var f = new Fixture(kind);
            await f.ExecuteAsync($"CREATE TABLE {f.Table} ({columns})", $"INSERT INTO {f.Table} VALUES {row}");
            return f;
        }

        /// <summary>The JSONL lines of one export into a folder and state of its own.</summary>
        public async Task<List<string>> ExportAsync(string? table = null, string? query = null, string? cursor = null, string[]? keys = null)
        {
            var ct = TestContext.Current.CancellationToken;
            var source = await SourceConnector.ConnectAsync(_spec, test: true, ct);
            var n = ++_exports;
            var observer = new RecordingObserver();
            await SqlExporter.RunAsync(new ExportRequest
            {
                Source = source,
                Table = table,
                Query = query,
                Stream = query is null ? null : "q",
                Incremental = cursor is not null,
                CursorColumn = cursor,
                KeyColumns = keys,
                OutputDirectory = _dir.Combine($"out{n}"),
                StatePath = _dir.Combine($"state{n}.db"),
            }, observer, new ExportProgress(), ct);
            return observer.Batches.OrderBy(b => b.Sequence).SelectMany(b => BatchFiles.Lines(b.Path)).ToList();
        }

        private async Task ExecuteAsync(params string[] statements)
        {
            await using var connection = _dialect.Factory.CreateConnection()!;
            connection.ConnectionString = _connectionString;
            await connection.OpenAsync();
            foreach (var sql in statements)
            {
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = sql;
                await cmd.ExecuteNonQueryAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await ExecuteAsync($"DROP TABLE IF EXISTS {Table}");
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _dir.Dispose();
        }
    }
}
