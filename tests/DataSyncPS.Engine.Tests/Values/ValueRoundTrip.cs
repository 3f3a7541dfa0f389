using System.IO.Compression;
using System.Text.Json;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>
/// The one helper of the exact-value tests (DESIGN contract 3), after Npgsql's AssertType: a table with
/// an id and one column of the given type, one row holding the SQL literal, exported by SqlExporter, and
/// the value's JSON token compared as raw text, so 10.50 and 10.5 or 0.1 and 0.10000000149 differ.
/// </summary>
public static class ValueRoundTrip
{
    public static async Task AssertValue(ProviderKind kind, string sqlType, string sqlLiteral, string expectedJson, TimeZoneInfo? zone = null)
    {
        var exported = await ExportValue(kind, sqlType, sqlLiteral, zone);
        Assert.Equal(expectedJson, exported.RawValue);
    }

    /// <summary>The raw JSON text of column "v", and the decompressed bytes of the batch file.</summary>
    public sealed record Exported(string RawValue, byte[] Jsonl);

    public static async Task<Exported> ExportValue(ProviderKind kind, string sqlType, string sqlLiteral, TimeZoneInfo? zone = null)
    {
        if (kind != ProviderKind.Sqlite) TestServers.Require(kind);
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        // A fresh vt_ name per call: another suite uses the same servers at the same time, and test
        // classes run in parallel.
        var table = "vt_" + Guid.NewGuid().ToString("N")[..12];
        var file = dir.Combine("source.db");
        var spec = kind == ProviderKind.Sqlite
            ? new ConnectionSpec { Provider = kind, Path = file, TimeZone = zone }
            : new ConnectionSpec { Provider = kind, ConnectionString = TestServers.ConnectionString(kind), TimeZone = zone };
        var dialect = SqlDialect.For(kind);
        // The fixture writes (and creates the SQLite file); the source itself is opened read-only.
        var connectionString = kind == ProviderKind.Sqlite ? $"Data Source={file}" : TestServers.ConnectionString(kind);
        await Execute(dialect, connectionString, ct, $"DROP TABLE IF EXISTS {table}", $"CREATE TABLE {table} (id int PRIMARY KEY, v {sqlType})");
        try
        {
            // The literal goes in under a UTC session, so a zone-sensitive type means the same instant everywhere.
            var session = kind switch
            {
                ProviderKind.PostgreSql => "SET TIME ZONE 'UTC'",
                ProviderKind.MariaDb or ProviderKind.MySql => "SET time_zone = '+00:00'",
                _ => "SELECT 1",
            };
            await Execute(dialect, connectionString, ct, session, $"INSERT INTO {table} (id, v) VALUES (1, {sqlLiteral})");

            var source = await SourceConnector.ConnectAsync(spec, test: true, ct);
            var observer = new RecordingObserver();
            await SqlExporter.RunAsync(new ExportRequest
            {
                Source = source,
                Table = table,
                OutputDirectory = dir.Combine("out"),
                StatePath = dir.Combine("state.db"),
            }, observer, new ExportProgress(), ct);

            var batch = Assert.Single(observer.Batches);
            var jsonl = Decompress(batch.Path);
            var line = Assert.Single(BatchFiles.Lines(batch.Path));
            using var doc = JsonDocument.Parse(line);
            Assert.Equal("1", doc.RootElement.GetProperty("id").GetRawText());
            return new Exported(doc.RootElement.GetProperty("v").GetRawText(), jsonl);
        }
        finally
        {
            await Execute(dialect, connectionString, CancellationToken.None, $"DROP TABLE IF EXISTS {table}");
        }
    }

    private static async Task Execute(SqlDialect dialect, string connectionString, CancellationToken ct, params string[] statements)
    {
        await using var connection = dialect.Factory.CreateConnection()!;
        connection.ConnectionString = connectionString;
        await connection.OpenAsync(ct);
        foreach (var sql in statements)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static byte[] Decompress(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gz.CopyTo(bytes);
        return bytes.ToArray();
    }
}
