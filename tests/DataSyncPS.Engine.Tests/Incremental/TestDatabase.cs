using System.Data.Common;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// One test server and the little SQL that differs between engines. Every table the incremental tests
/// make is named it_..., dropped and created inside its test. Rows of the usual shape are
/// (id, updated_at, payload), with updated_at = <see cref="BaseTime"/> + id seconds unless a test says otherwise.
/// </summary>
public abstract class TestDatabase
{
    public static readonly TestDatabase PostgreSql = new PostgreSqlTestDatabase();
    public static readonly TestDatabase MariaDb = new MariaDbTestDatabase();

    public static readonly DateTime BaseTime = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public abstract ProviderKind Kind { get; }

    /// <summary>Timestamp with microseconds and no zone.</summary>
    public abstract string TimestampType { get; }

    /// <summary>Timestamp stored as an instant (converted by the session's time zone).</summary>
    public abstract string InstantType { get; }

    /// <summary>INSERT ... SELECT of rows id 1..<paramref name="count"/> made by the server itself.</summary>
    public abstract string GenerateRowsSql(string quotedTable, int count, int payloadChars);

    public SqlDialect Dialect => SqlDialect.For(Kind);

    public string Quote(string identifier) => Dialect.QuoteIdentifier(identifier);

    /// <param name="server">Another name of the same server (localhost), which gives the source another identity.</param>
    public Task<SyncSource> ConnectAsync(CancellationToken ct, string? server = null)
    {
        TestServers.Require(Kind);
        return SourceConnector.ConnectAsync(new ConnectionSpec { Provider = Kind, ConnectionString = TestServers.ConnectionString(Kind), Server = server }, test: true, ct);
    }

    /// <summary>Runs SQL with positional parameters @p0, @p1...</summary>
    public async Task<int> ExecuteAsync(string sql, params object?[] args)
    {
        await using var connection = await OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@p" + i;
            p.Value = args[i] ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return await cmd.ExecuteNonQueryAsync();
    }

    public async Task<bool> TableExistsAsync(string table)
    {
        await using var connection = await OpenAsync();
        var catalog = Engine.Schema.CatalogReader.For(Dialect);
        var schema = await catalog.CurrentSchemaAsync(connection, default);
        var columns = await catalog.ReadColumnsAsync(connection, schema!, table, default);
        return columns.Count > 0;
    }

    /// <summary>(Re)creates <paramref name="table"/> as (id PK, updated_at, payload), with no rows.</summary>
    public Task CreateRowsTableAsync(string table) =>
        RecreateAsync(table, $"id integer NOT NULL PRIMARY KEY, updated_at {TimestampType} NOT NULL, payload text");

    /// <summary>(Re)creates <paramref name="table"/> with the given column definitions.</summary>
    public async Task RecreateAsync(string table, string columnDefinitions)
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Quote(table)}");
        await ExecuteAsync($"CREATE TABLE {Quote(table)} ({columnDefinitions})");
    }

    /// <summary>Inserts rows (id, updated_at, payload) in one parameterised statement per 200 rows.</summary>
    public async Task InsertRowsAsync(string table, IEnumerable<(int Id, DateTime UpdatedAt)> rows)
    {
        foreach (var chunk in rows.Chunk(200))
        {
            var values = string.Join(", ", chunk.Select((_, i) => $"(@p{3 * i}, @p{3 * i + 1}, @p{3 * i + 2})"));
            var args = chunk.SelectMany(r => new object?[] { r.Id, r.UpdatedAt, $"row {r.Id}" }).ToArray();
            await ExecuteAsync($"INSERT INTO {Quote(table)} (id, updated_at, payload) VALUES {values}", args);
        }
    }

    /// <summary>Rows <paramref name="from"/>..<paramref name="to"/> at <see cref="BaseTime"/> + id seconds.</summary>
    public Task InsertRowsAsync(string table, int from, int to) =>
        InsertRowsAsync(table, Enumerable.Range(from, to - from + 1).Select(id => (id, BaseTime.AddSeconds(id))));

    public async Task<DbConnection> OpenAsync()
    {
        TestServers.Require(Kind);
        var connection = Dialect.Factory.CreateConnection()!;
        connection.ConnectionString = Dialect.BuildConnectionString(new ConnectionSpec { Provider = Kind, ConnectionString = TestServers.ConnectionString(Kind) });
        await connection.OpenAsync();
        return connection;
    }

    public override string ToString() => Kind.ToString();

    private sealed class PostgreSqlTestDatabase : TestDatabase
    {
        public override ProviderKind Kind => ProviderKind.PostgreSql;
        public override string TimestampType => "timestamp(6)";
        public override string InstantType => "timestamptz(6)";
        public override string GenerateRowsSql(string quotedTable, int count, int payloadChars) =>
            $"INSERT INTO {quotedTable} (id, updated_at, payload) SELECT g, timestamp '2024-01-01' + g * interval '1 second', repeat('x', {payloadChars}) FROM generate_series(1, {count}) g";
    }

    private sealed class MariaDbTestDatabase : TestDatabase
    {
        public override ProviderKind Kind => ProviderKind.MariaDb;
        public override string TimestampType => "datetime(6)";
        public override string InstantType => "timestamp(6)";
        // The Sequence engine (on by default in MariaDB) gives seq_1_to_N without a recursion limit.
        public override string GenerateRowsSql(string quotedTable, int count, int payloadChars) =>
            $"INSERT INTO {quotedTable} (id, updated_at, payload) SELECT seq, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, REPEAT('x', {payloadChars}) FROM seq_1_to_{count}";
    }
}
