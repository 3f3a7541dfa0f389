using System.Data.Common;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>
/// A database of its own on a test server (datasync_h9_bk_...; the test login may create them), with
/// what a real one has besides tables: a view, a function, a trigger, and a table large enough for
/// multipart uploads. Dropped afterwards, with any restore target made from it.
/// </summary>
public sealed class BackupDatabase : IAsyncDisposable
{
    private readonly List<string> _dropped = new();

    private BackupDatabase(ProviderKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public ProviderKind Kind { get; }
    public string Name { get; }
    public SyncSource Source { get; private set; } = null!;

    public static string Prefix => "datasync_h9_bk_";

    public static async Task<BackupDatabase> CreateAsync(ProviderKind kind, int bigRows = 20_000)
    {
        TestServers.Require(kind);
        var db = new BackupDatabase(kind, Prefix + Guid.NewGuid().ToString("N")[..10]);
        await db.ExecuteOnServerAsync(kind == ProviderKind.PostgreSql ? $"CREATE DATABASE {db.Name}" : $"CREATE DATABASE {db.Name} CHARACTER SET utf8mb4");
        db._dropped.Add(db.Name);
        db.Source = await db.ConnectAsync(db.Name);
        if (kind == ProviderKind.PostgreSql)
        {
            await db.ExecuteAsync($"""
                CREATE TABLE vendas (id int PRIMARY KEY, cliente text NOT NULL, valor numeric(12,2), criado timestamptz DEFAULT now(), total_log int DEFAULT 0);
                CREATE TABLE big (id int PRIMARY KEY, payload text);
                CREATE TABLE log_vendas (id serial PRIMARY KEY, venda int, em timestamptz DEFAULT now());
                INSERT INTO vendas (id, cliente, valor) SELECT i, 'cliente ' || i || ' ção', i * 1.5 FROM generate_series(1, 500) i;
                INSERT INTO big SELECT i, md5(i::text) || md5((i * 7)::text) || md5((i * 13)::text) FROM generate_series(1, {bigRows}) i;
                CREATE VIEW vendas_grandes AS SELECT * FROM vendas WHERE valor > 100;
                CREATE FUNCTION dobro(x numeric) RETURNS numeric LANGUAGE sql AS 'SELECT x * 2';
                CREATE FUNCTION registra() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO log_vendas (venda) VALUES (NEW.id); RETURN NEW; END $$;
                CREATE TRIGGER vendas_log AFTER INSERT ON vendas FOR EACH ROW EXECUTE FUNCTION registra();
                INSERT INTO vendas (id, cliente, valor) VALUES (501, 'depois do gatilho', 10);
                """);
        }
        else
        {
            await db.ExecuteAsync("CREATE TABLE vendas (id int PRIMARY KEY, cliente varchar(100) NOT NULL, valor decimal(12,2), criado datetime DEFAULT CURRENT_TIMESTAMP, dados blob)");
            await db.ExecuteAsync("CREATE TABLE big (id int PRIMARY KEY, payload text)");
            await db.ExecuteAsync("CREATE TABLE log_vendas (id int AUTO_INCREMENT PRIMARY KEY, venda int)");
            await db.ExecuteAsync("INSERT INTO vendas (id, cliente, valor, dados) SELECT seq, CONCAT('cliente ', seq, ' ção'), seq * 1.5, UNHEX(MD5(seq)) FROM seq_1_to_500");
            await db.ExecuteAsync($"INSERT INTO big SELECT seq, CONCAT(MD5(seq), MD5(seq * 7), MD5(seq * 13)) FROM seq_1_to_{bigRows}");
            await db.ExecuteAsync("CREATE VIEW vendas_grandes AS SELECT * FROM vendas WHERE valor > 100");
            await db.ExecuteAsync("CREATE FUNCTION dobro(x decimal(12,2)) RETURNS decimal(14,2) DETERMINISTIC RETURN x * 2");
            await db.ExecuteAsync("CREATE TRIGGER vendas_log AFTER INSERT ON vendas FOR EACH ROW INSERT INTO log_vendas (venda) VALUES (NEW.id)");
            await db.ExecuteAsync("INSERT INTO vendas (id, cliente, valor) VALUES (501, 'depois do gatilho', 10)");
        }
        return db;
    }

    /// <summary>A name for a restore target, dropped with this database.</summary>
    public string NewTargetName()
    {
        var name = Name + "_r" + _dropped.Count;
        _dropped.Add(name);
        return name;
    }

    public Task<SyncSource> ConnectAsync(string database)
    {
        var b = new DbConnectionStringBuilder { ConnectionString = TestServers.ConnectionString(Kind) };
        b["Database"] = database;
        return SourceConnector.ConnectAsync(new ConnectionSpec { Provider = Kind, ConnectionString = b.ConnectionString }, test: false, CancellationToken.None);
    }

    public async Task ExecuteAsync(string sql, string? database = null)
    {
        var source = database is null ? Source : await ConnectAsync(database);
        await using var c = await SourceConnector.OpenAsync(source, CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql, string? database = null)
    {
        var source = database is null ? Source : await ConnectAsync(database);
        await using var c = await SourceConnector.OpenAsync(source, CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>Every base table's exact row count, by table name (the schema differs between a MariaDB
    /// database and its restored copy), read from the catalog here rather than by the engine under test.</summary>
    public async Task<SortedDictionary<string, long>> RowCountsAsync(string? database = null)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in await TablesAsync(database))
            counts[table] = Convert.ToInt64(await ScalarAsync($"SELECT COUNT(*) FROM {table}", database));
        return counts;
    }

    /// <summary>An MD5 of each base table's whole content (every column, rows in a fixed order), by table name.</summary>
    public async Task<SortedDictionary<string, string>> ContentChecksumsAsync(string? database = null)
    {
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in await TablesAsync(database))
        {
            string sql;
            if (Kind == ProviderKind.PostgreSql)
                sql = $"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t";
            else
            {
                var columns = new List<string>();
                var db = database ?? Name;
                await using (var c = await SourceConnector.OpenAsync(await ConnectAsync(db), CancellationToken.None))
                await using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = $"SELECT column_name FROM information_schema.columns WHERE table_schema = '{db}' AND table_name = '{table}' ORDER BY ordinal_position";
                    await using var r = await cmd.ExecuteReaderAsync();
                    while (await r.ReadAsync()) columns.Add(r.GetString(0));
                }
                // HEX of every value, NULL marked: one text per row whatever the types.
                var row = "CONCAT_WS(',', " + string.Join(", ", columns.Select(c => $"IFNULL(HEX(`{c}`), 'N')")) + ")";
                sql = $"SELECT MD5(IFNULL(GROUP_CONCAT(r ORDER BY r SEPARATOR '|'), '')) FROM (SELECT {row} AS r FROM `{table}`) q";
            }
            sums[table] = Convert.ToString(await ScalarMySqlSessionAsync(sql, database)) ?? "";
        }
        return sums;
    }

    private async Task<List<string>> TablesAsync(string? database)
    {
        var sql = Kind == ProviderKind.PostgreSql
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1";
        var source = database is null ? Source : await ConnectAsync(database);
        await using var c = await SourceConnector.OpenAsync(source, CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var tables = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) tables.Add(r.GetString(0));
        return tables;
    }

    /// <summary>The engine's "schema.table" counts by table name, to compare with <see cref="RowCountsAsync"/>.</summary>
    public static SortedDictionary<string, long> ByTable(IReadOnlyDictionary<string, long> counts) =>
        new(counts.ToDictionary(c => c.Key[(c.Key.IndexOf('.') + 1)..], c => c.Value), StringComparer.Ordinal);

    private async Task<object?> ScalarMySqlSessionAsync(string sql, string? database)
    {
        var source = database is null ? Source : await ConnectAsync(database);
        await using var c = await SourceConnector.OpenAsync(source, CancellationToken.None);
        await using var cmd = c.CreateCommand();
        if (Kind == ProviderKind.MariaDb)
        {
            cmd.CommandText = "SET SESSION group_concat_max_len = 1073741824";
            await cmd.ExecuteNonQueryAsync();
        }
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        var b = new DbConnectionStringBuilder { ConnectionString = TestServers.ConnectionString(Kind) };
        b["Database"] = Kind == ProviderKind.PostgreSql ? "postgres" : "";
        var server = await SourceConnector.ConnectAsync(new ConnectionSpec { Provider = Kind, ConnectionString = b.ConnectionString }, test: false, CancellationToken.None);
        await using var c = await SourceConnector.OpenAsync(server, CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Kind == ProviderKind.PostgreSql) Npgsql.NpgsqlConnection.ClearAllPools();
        else MySqlConnector.MySqlConnection.ClearAllPools();
        foreach (var name in _dropped)
        {
            try { await ExecuteOnServerAsync(Kind == ProviderKind.PostgreSql ? $"DROP DATABASE IF EXISTS {name} WITH (FORCE)" : $"DROP DATABASE IF EXISTS {name}"); }
            catch { }
        }
    }
}
